import { startPrometheus, type Prometheus } from './prometheus.js';
import { startPushgateway, type Pushgateway } from './pushgateway.js';

/** A real Pushgateway and a real Prometheus scraping it with honor_labels: the path a push takes in a cluster. */
export interface ScrapedGateway {
  gateway: Pushgateway;
  prometheus: Prometheus;
  stop: () => Promise<void>;
}

export async function startScrapedGateway(options: { remoteWriteReceiver?: boolean } = {}): Promise<ScrapedGateway> {
  const gateway = await startPushgateway();
  try {
    const prometheus = await startPrometheus({ targets: [`127.0.0.1:${gateway.port}`], remoteWriteReceiver: options.remoteWriteReceiver });
    return {
      gateway,
      prometheus,
      stop: async () => {
        await prometheus.stop();
        await gateway.stop();
      },
    };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}
