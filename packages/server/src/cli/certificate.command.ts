// `fieldvault certificate …`: issue a signed evidence certificate (JSON + printable HTML), verify one offline, print the public key.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderCertificateHtml } from '../certificate/certificate.html.js';
import { issueCertificate } from '../certificate/certificate.service.js';
import { verifyCertificateText } from '../certificate/certificate.verify.js';
import { resolveSigningKey } from '../checkpoints/signing-key.js';
import type { JobDeps } from '../jobs/jobs.types.js';
import type { Config } from '../env.js';

/** Options of `certificate`. */
export interface CertificateArgs {
  file?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  system?: string | undefined;
  org?: string | undefined;
  out?: string | undefined;
}

/** Issue: `--file <id>` or `--org <id> --from … --to … [--system …]`; writes certificate.json/.html to --out or JSON to stdout. */
export async function issueCertificateCommand(deps: JobDeps, a: CertificateArgs): Promise<number> {
  let orgId = a.org;
  if (a.file) {
    const row = await deps.db
      .selectFrom('files')
      .select('org_id')
      .where('id', '=', a.file)
      .executeTakeFirst();
    if (!row) {
      console.error(`fieldvault: no file ${a.file}`);
      return 1;
    }
    orgId = row.org_id;
  } else if (!orgId || !a.from || !a.to) {
    console.error(
      'fieldvault: certificate --file <id> | --org <id> --from <iso> --to <iso> [--system <name>]',
    );
    return 64;
  }
  const scope = a.file
    ? { fileId: a.file }
    : { from: a.from, to: a.to, ...(a.system ? { system: a.system } : {}) };
  const cert = await issueCertificate(deps, { orgId: orgId ?? '', scope, actor: null });
  const json = `${JSON.stringify(cert, null, 2)}\n`;
  if (!a.out) {
    process.stdout.write(json);
    return 0;
  }
  await writeFile(path.join(a.out, 'certificate.json'), json);
  await writeFile(path.join(a.out, 'certificate.html'), renderCertificateHtml(cert));
  console.log(`wrote ${path.join(a.out, 'certificate.json')} and certificate.html`);
  return 0;
}

/** Verify offline: exit 0 when it holds, 2 with the problem otherwise. Needs no database. */
export async function verifyCertificateCommand(
  file: string | undefined,
  publicKeyFile: string | undefined,
): Promise<number> {
  if (!file) {
    console.error('fieldvault: certificate verify <certificate.json> [--public-key <pem>]');
    return 64;
  }
  const pem = publicKeyFile ? await readFile(publicKeyFile, 'utf8') : undefined;
  const verdict = verifyCertificateText(await readFile(file, 'utf8'), pem);
  if (!verdict.ok) {
    console.error(`fieldvault: certificate NOT valid: ${verdict.problem}`);
    return 2;
  }
  console.log(
    pem
      ? 'certificate valid'
      : 'certificate valid (against the key it carries; pass --public-key to pin it)',
  );
  return 0;
}

/** Print the public key verifiers need. */
export async function publicKeyCommand(config: Config): Promise<number> {
  process.stdout.write((await resolveSigningKey(config)).publicKeyPem);
  return 0;
}
