// The peer a user would deploy instead of Valv for resumable uploads: @tus/server with @tus/s3-store, on the
// same S3Proxy as Valv. It stores the bytes as sent (plaintext) and buffers each part in a temporary file.
// argv: port, S3 endpoint, bucket. Prints "listening" once it takes requests.
import { Server } from "@tus/server";
import { S3Store } from "@tus/s3-store";
import { S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";

const [port, endpoint, bucket] = process.argv.slice(2);
const s3ClientConfig = {
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "local", secretAccessKey: "localsecret" },
  // S3Proxy takes the classic signed payload; the SDK's default CRC32 trailers are not what a store needs
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
};
try {
  await new S3Client(s3ClientConfig).send(new CreateBucketCommand({ Bucket: bucket }));
} catch (e) {
  if (e.name !== "BucketAlreadyOwnedByYou" && e.name !== "BucketAlreadyExists") throw e;
}
// the same part size as Valv's multipart uploads (8 MiB)
const datastore = new S3Store({ partSize: 8 * 1024 * 1024, s3ClientConfig: { ...s3ClientConfig, bucket } });
const server = new Server({ path: "/files", datastore });
server.listen({ host: "127.0.0.1", port: Number(port) }, () => console.log("listening"));
