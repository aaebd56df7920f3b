// The printable HTML form of an evidence certificate (what a compliance officer prints or saves as PDF).
import type { Certificate, ProofRow } from './certificate.types.js';

const esc = (s: string | number | null | undefined): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function eventRow(r: ProofRow): string {
  const who = r.actor_user_id ? `${esc(r.actor_role)} ${esc(r.actor_user_id)}` : 'system';
  return `<tr><td>${r.seq}</td><td>${esc(r.at)}</td><td>${esc(r.action)}</td><td>${who}</td><td>${esc(r.ip)}</td><td>${esc(r.device_label)}</td><td>${r.success ? 'yes' : esc(r.error_code)}</td></tr>`;
}

/** Render `cert` as a self-contained HTML page. */
export function renderCertificateHtml(cert: Certificate): string {
  const m = cert.manifest;
  const bySeq = new Map(m.chain.rows.map((r) => [r.seq, r]));
  const files = m.files
    .map((f) => {
      const events = f.eventSeqs
        .map((s) => bySeq.get(s))
        .filter((r): r is ProofRow => r !== undefined);
      return `<section><h2>${esc(f.originalFilename)}</h2><dl>
<dt>File id</dt><dd>${esc(f.id)}</dd><dt>SHA-256</dt><dd><code>${esc(f.sha256)}</code></dd>
<dt>Captured on the device</dt><dd>${esc(f.capturedAt)} (${esc(f.deviceLabel)})</dd>
<dt>Received / verified</dt><dd>${esc(f.receivedAt)} / ${esc(f.verifiedAt)}</dd>
<dt>Status</dt><dd>${esc(f.status)}</dd><dt>Retained until</dt><dd>${esc(f.retentionUntil ?? 'no retention')}${f.legalHold ? ' · legal hold' : ''}</dd>
<dt>Object</dt><dd><code>${esc(f.key)}</code> · ${f.size} bytes · ${esc(f.contentType)}</dd></dl>
<table><thead><tr><th>seq</th><th>when</th><th>action</th><th>who</th><th>IP</th><th>device</th><th>ok</th></tr></thead><tbody>${events.map(eventRow).join('')}</tbody></table></section>`;
    })
    .join('\n');
  const cp = m.chain.checkpoint;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>FieldVault evidence certificate</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:60rem}code{word-break:break-all}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem;text-align:left}dt{font-weight:600}</style></head><body>
<h1>Evidence certificate</h1><p>Issued ${esc(m.issuedAt)} for ${esc(m.org.name)} (${esc(m.org.id)}). ${m.files.length} file(s).</p>
${files}
<h2>Proof</h2><p>The audit chain rows ${m.chain.rows[0]?.seq ?? cp.seq}–${cp.seq} link every event above to checkpoint ${cp.seq} (hash <code>${esc(cp.hash)}</code>, signed ${esc(cp.at)}).</p>
<p>Key id <code>${esc(m.keyId)}</code>. Signature <code>${esc(cert.signature)}</code>.</p>
<p>Check it offline: <code>fieldvault certificate verify certificate.json --public-key fieldvault-public.pem</code></p>
</body></html>
`;
}
