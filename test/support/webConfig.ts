import bcrypt from 'bcryptjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes an exporter-toolkit web config (what the Pushgateway's --web.config.file reads) with
 * bcrypt-hashed basic-auth users and, optionally, TLS files.
 */
export function writeWebConfig(
  dir: string,
  options: { users?: Record<string, string>; tls?: { certFile: string; keyFile: string; clientCaFile?: string } },
): string {
  const lines: string[] = [];
  if (options.tls) {
    lines.push('tls_server_config:', `  cert_file: ${options.tls.certFile}`, `  key_file: ${options.tls.keyFile}`);
    if (options.tls.clientCaFile) {
      lines.push(`  client_ca_file: ${options.tls.clientCaFile}`, '  client_auth_type: RequireAndVerifyClientCert');
    }
  }
  if (options.users) {
    lines.push('basic_auth_users:');
    for (const [user, password] of Object.entries(options.users)) lines.push(`  ${user}: ${bcrypt.hashSync(password, 4)}`);
  }
  const path = join(dir, 'web-config.yml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
