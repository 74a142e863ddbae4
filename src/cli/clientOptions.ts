import type { Command } from 'commander';

/** Flags that set up the HTTP client: TLS and credentials (passwords and tokens come only from files or env). */
export interface ClientFlags {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
  passwordFile?: string;
  bearerTokenFile?: string;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--ca-file <path>', 'PEM file of the CA(s) that signed the gateway’s certificate')
    .option('--cert-file <path>', 'client certificate (PEM) for a gateway that requires mutual TLS')
    .option('--key-file <path>', 'key (PEM) of --cert-file')
    .option('--insecure-skip-verify', 'do not verify the gateway’s TLS certificate (testing only)')
    .option('--password-file <path>', 'basic-auth password, user from PUSHGATEWAY_USERNAME (instead of PUSHGATEWAY_PASSWORD)')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token in this file');
}
