// The MD5 Worker entry: the upload MD5s, computed after "Saved" off the main thread and beside the next capture's SHA-256.
import { serveMd5Requests, type Md5WorkerScope } from './md5-protocol';

const scope: Md5WorkerScope = self;
serveMd5Requests(scope);
