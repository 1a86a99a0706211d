// One timed upload of a file with the same Node client for every path bench/run compares.
// argv: mode ("tus" or "post"), URL (tus creation endpoint, or Valv's one-shot materials URL), file,
// chunkSize ("Infinity" = one PATCH, or bytes). env BENCH_TOKEN: bearer token (none for the peer).
// stdout: one JSON line {seconds, url (tus), materialId (Valv)}; exit 1 with the error otherwise.
import fs from "node:fs";
import http from "node:http";
import * as tus from "tus-js-client";

const [mode, url, file, chunk] = process.argv.slice(2);
const size = fs.statSync(file).size;
const headers = process.env.BENCH_TOKEN ? { Authorization: "Bearer " + process.env.BENCH_TOKEN } : {};
const started = process.hrtime.bigint();
const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
const done = (fields) => {
  process.stdout.write(JSON.stringify({ seconds: seconds(), ...fields }) + "\n");
};
const fail = (e) => {
  process.stderr.write(mode + " upload failed: " + e + "\n");
  process.exit(1);
};

if (mode === "tus") {
  let materialId = null;
  const upload = new tus.Upload(fs.createReadStream(file), {
    endpoint: url,
    uploadSize: size,
    chunkSize: chunk === "Infinity" ? Infinity : Number(chunk),
    headers,
    metadata: { filename: "bench.bin", filetype: "application/octet-stream", "personal-data": "false" },
    onAfterResponse: (req, res) => {
      materialId = res.getHeader("Valv-Material-Id") || materialId;
    },
    onError: fail,
    onSuccess: () => done({ url: upload.url, materialId }),
  });
  upload.start();
} else if (mode === "post") {
  const req = http.request(url, {
    method: "POST",
    headers: {
      ...headers,
      "Content-Type": "application/octet-stream",
      "Content-Length": size,
      "Content-Disposition": 'attachment; filename="bench.bin"',
      "Valv-Personal-Data": "false",
    },
  }, (res) => {
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (d) => (body += d));
    res.on("end", () => {
      if (res.statusCode !== 201) fail("HTTP " + res.statusCode + " " + body.slice(0, 300));
      const json = JSON.parse(body);
      done({ materialId: json.id });
    });
  });
  req.on("error", fail);
  fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
} else {
  fail("unknown mode " + mode);
}
