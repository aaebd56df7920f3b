// The MD5 Worker entry: the hash Worker's helper, so MD5s and SHA-256 of a large file use two cores.
import { serveMd5Requests, type Md5WorkerScope } from './md5-protocol';

const scope: Md5WorkerScope = self;
serveMd5Requests(scope);
