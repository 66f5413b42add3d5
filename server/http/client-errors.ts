import type { Server } from 'node:http';

/**
 * Requests Node refuses before Express sees them (headers or URL over 16 KB, a malformed request
 * line) are answered with problem details too, not a bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const title = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({
      type: tooLarge ? '/problems/headers-too-large' : '/problems/malformed-request',
      title,
      status,
      detail: tooLarge ? 'The URL and headers may take at most 16 KB.' : 'The request is not valid HTTP.',
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
