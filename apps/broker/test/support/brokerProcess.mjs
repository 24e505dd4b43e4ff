// One broker "Lambda instance" in its own Node process, with its own memory: imports the production
// bundle given as argv[2] (which, with AWS_LAMBDA_FUNCTION_NAME set, starts its runtime right after the
// import as in Lambda's init phase), reports
// { type: "ready" } over IPC, then answers { type: "invoke", id, event, at? } by calling the handler
// — at the wall-clock time `at` when given, so several processes can act at one moment — and replies
// { type: "result", id, result, startedAt }. { type: "exit" } ends the process. Logs go to stdout.
import { pathToFileURL } from "node:url";

const bundle = process.argv[2];
if (!bundle || !process.send) {
  console.error("usage: node brokerProcess.mjs <dist/handler.mjs>, spawned with an IPC channel");
  process.exit(2);
}
const { handler } = await import(pathToFileURL(bundle).href);

async function invoke(message) {
  const startedAt = Date.now();
  let result;
  try {
    result = await handler(message.event);
  } catch (error) {
    result = { statusCode: -1, body: JSON.stringify({ error: String(error?.name ?? "Error") }) };
  }
  process.send({ type: "result", id: message.id, result, startedAt });
}

process.on("message", (message) => {
  if (message?.type === "invoke") {
    const delay = typeof message.at === "number" ? message.at - Date.now() : 0;
    if (delay > 0) setTimeout(() => void invoke(message), delay);
    else void invoke(message);
  } else if (message?.type === "exit") {
    process.exit(0);
  }
});
process.send({ type: "ready" });
