import { startPrometheus, type Prometheus } from './prometheus.js';
import { startPushgateway, type Pushgateway } from './pushgateway.js';

/** A real Pushgateway and a real Prometheus scraping it with honor_labels: the path a push takes in a cluster. */
export interface ScrapedGateway {
  gateway: Pushgateway;
  prometheus: Prometheus;
  stop: () => Promise<void>;
}

export async function startScrapedGateway(): Promise<ScrapedGateway> {
  const gateway = await startPushgateway();
  try {
    const prometheus = await startPrometheus(`127.0.0.1:${gateway.port}`);
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
