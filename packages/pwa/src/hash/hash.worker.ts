// The hash Worker entry: the capture-time SHA-256 of Files off the main thread, so capture never freezes the UI.
import { serveHashRequests, type HashWorkerScope } from './hash-protocol';

const scope: HashWorkerScope = self;
serveHashRequests(scope);
