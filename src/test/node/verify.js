// Verifies webhook deliveries with the official Standard Webhooks library (npm `standardwebhooks`).
// stdin: a JSON array of {secret, headers, body}; stdout: a JSON array of "ok" or the library's error message.
const { Webhook } = require("standardwebhooks");
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ secret, headers, body }) => {
    try {
      new Webhook(secret).verify(body, headers);
      return "ok";
    } catch (e) {
      return "rejected: " + e.message;
    }
  });
  process.stdout.write(JSON.stringify(results));
});
