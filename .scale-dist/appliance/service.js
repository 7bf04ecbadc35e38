/** A listener that could not bind: the message is one sentence for the operator. */
export class ListenError extends Error {
    listener;
    endpoint;
    constructor(listener, endpoint, cause) {
        const why = cause.code === 'EADDRINUSE' ? 'the address is already in use'
            : cause.code === 'EACCES' ? 'permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)'
                : cause.code === 'EADDRNOTAVAIL' ? 'that address is not on this machine'
                    : cause.message;
        super(`cannot listen for ${listener} on ${endpoint.host}:${endpoint.port}: ${why}`);
        this.listener = listener;
        this.endpoint = endpoint;
        this.name = 'ListenError';
    }
}
//# sourceMappingURL=service.js.map