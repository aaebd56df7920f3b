// The office desk's entry: picks Files, a file's detail, Audit or Admin for the path, with one API and cache per page.
import { useMemo } from 'react';
import type { Me } from '@fieldvault/shared/schemas';
import type { Section } from '../ui/routes';
import { AdminView } from './admin-view';
import { AuditView } from './audit-view';
import { FileDetailView } from './file-detail-view';
import { FilesView } from './files-view';
import { createOfficeApi } from './office-api';
import type { OfficeCache } from './office-cache';
import type { PreviewCache } from './preview-cache';
import { useOfficeCaches } from './use-office-caches';
import { useUrl } from './use-url';
import './office.css';

/** Paths the office desk renders (the shell sends these sections here). */
export const OFFICE_PATHS: readonly string[] = ['/files', '/audit', '/admin'];

/** True when `section` is one of the office desk's. */
export function isOfficeSection(section: Section): boolean {
  return OFFICE_PATHS.includes(section.path);
}

/** Props for {@link OfficeSection}. */
export interface OfficeSectionProps {
  me: Me;
  section: Section;
  focusHeading: boolean;
}

/** What every office screen receives. */
export interface OfficeContext {
  me: Me;
  api: ReturnType<typeof createOfficeApi>;
  cache: OfficeCache;
  previews: PreviewCache;
  focusHeading: boolean;
}

/** Renders the office screen for the current URL. */
export function OfficeSection({ me, section, focusHeading }: OfficeSectionProps) {
  const { pathname, search } = useUrl();
  const api = useMemo(() => createOfficeApi(), []);
  const { cache, previews } = useOfficeCaches(me);
  const ctx: OfficeContext = { me, api, cache, previews, focusHeading };
  if (section.path === '/audit') return <AuditView ctx={ctx} search={search} />;
  if (section.path === '/admin') return <AdminView ctx={ctx} />;
  const fileId = pathname.startsWith('/files/') ? pathname.slice('/files/'.length) : '';
  if (fileId !== '') return <FileDetailView key={fileId} ctx={ctx} fileId={fileId} />;
  return <FilesView ctx={ctx} search={search} />;
}
