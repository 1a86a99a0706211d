// Uploads one file to Valv with the official tus JavaScript client (npm tus-js-client), in Node.
// argv: endpoint, file, chunkSize ("Infinity" or bytes), filename; env VALV_TOKEN: the bearer token.
// Retries on its own after a broken connection (retryDelays), resuming from the offset HEAD answers.
// stdout: one JSON line {url, materialId, offsets} once done; exit 1 with the error otherwise.
const fs = require("fs");
const tus = require("tus-js-client");

const [endpoint, file, chunk, filename] = process.argv.slice(2);
const data = fs.readFileSync(file);
let materialId = null;
const offsets = [];
const upload = new tus.Upload(data, {
  endpoint,
  chunkSize: chunk === "Infinity" ? Infinity : Number(chunk),
  retryDelays: [200, 500, 1000, 2000, 3000, 5000, 5000, 5000],
  headers: { Authorization: "Bearer " + process.env.VALV_TOKEN },
  metadata: { filename, filetype: "application/octet-stream", "personal-data": "false" },
  onAfterResponse: (req, res) => {
    const id = res.getHeader("Valv-Material-Id");
    if (id) materialId = id;
    const offset = res.getHeader("Upload-Offset");
    if (req.getMethod() === "PATCH" && offset) offsets.push(Number(offset));
  },
  onError: (e) => {
    process.stderr.write("tus-js-client failed: " + e + "\n");
    process.exit(1);
  },
  onSuccess: () => {
    process.stdout.write(JSON.stringify({ url: upload.url, materialId, offsets }) + "\n");
  },
});
upload.start();
