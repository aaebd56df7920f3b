// The benchmark page: exposes the in-browser suites to the runner (bench/pwa.bench.ts) as `window.fvBench`.
import { idbCostBench } from './idb-cost-bench';
import { hashLargeFile, hashReceiptFiles, hashReceipts, md5Receipts } from './hash-bench';
import { changeFilter, heapNow, openFiles, scrollBackTo, scrollUntil } from './office-bench';
import { syncBench } from './sync-bench';
import { syncDeviceBench } from './sync-device-bench';

const suites = {
  hashReceipts,
  hashReceiptFiles,
  hashLargeFile,
  md5Receipts,
  syncBench,
  syncDeviceBench,
  idbCostBench,
  openFiles,
  changeFilter,
  scrollUntil,
  scrollBackTo,
  heapNow,
};

/** What the runner calls through `page.evaluate`. */
export type BenchSuites = typeof suites;

(window as unknown as { fvBench: BenchSuites }).fvBench = suites;
