import net from 'node:net';

/** A TCP proxy in front of PostgreSQL that can make the database unreachable on demand. */
export interface OutageProxy {
  /** `databaseUrl` with the proxy's address. */
  url: string;
  /** Drops every connection through the proxy and refuses new ones until `restore`. */
  cut(): void;
  /**
   * Stops passing bytes on every connection, open or new, without closing any: a peer that
   * vanished, as a firewall or NAT that forgets a connection leaves it. `restore` drops the
   * frozen connections and lets new ones through.
   */
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to the database of `databaseUrl`. While cut, it closes each new
 * connection at once, as a database that is down or failing over looks to a client.
 */
export async function outageProxy(databaseUrl: string): Promise<OutageProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  let down = false;
  let frozen = false;
  const held = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    if (frozen) {
      held.add(client);
      client.on('error', () => client.destroy());
      return;
    }
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as net.AddressInfo).port);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url: proxied.toString(),
    cut: () => {
      down = true;
      dropAll();
    },
    freeze: () => {
      frozen = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
        held.add(socket);
      }
    },
    restore: () => {
      down = false;
      if (frozen) {
        frozen = false;
        for (const socket of held) socket.destroy();
        held.clear();
      }
    },
    close: async () => {
      down = true;
      dropAll();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
