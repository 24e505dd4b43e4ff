/** Port checks, so a busy port fails with the component's name and the flag that moves it. */
import { createServer } from "node:net";

/** Thrown when a port the stack needs is taken. */
export class PortInUseError extends Error {
  readonly code = "ERR_PORT_IN_USE";
  constructor(
    readonly component: string,
    readonly port: number,
    readonly flag: string,
  ) {
    super(
      `${component}: port ${port} on 127.0.0.1 is already in use; stop what holds it or choose another with ${flag} <port> (0 picks a free one)`,
    );
    this.name = "PortInUseError";
  }
}

/** Resolves when `port` can be bound on 127.0.0.1 (port 0 always can); rejects with {@link PortInUseError}. */
export async function assertPortFree(port: number, component: string, flag: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" || e.code === "EACCES" ? new PortInUseError(component, port, flag) : e),
    );
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** A free loopback port, for children that must be told a port before they start. */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
