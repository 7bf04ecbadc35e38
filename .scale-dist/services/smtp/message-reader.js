import { smtpReply } from './replies.js';
import { HEADER_LIMITS } from '../../appliance/mail/header.js';
export { MemoryBudget } from '../../appliance/memory-budget.js';
const MAX_LINE = 1000; // octets including CRLF
/** Read a message; what it holds is taken from `budget` and must be given back by the caller
 *  (`held` bytes) once the message is stored or refused. */
export function readMessage(stream, maxSize, budget) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let problem;
        let prevCr = false; // the previous octet was a CR
        let lineLen = 0;
        let line = 1;
        let inHeader = true;
        let fields = 0;
        let held = 0;
        const fail = (r) => {
            if (problem)
                return;
            problem = r;
            chunks.length = 0;
            budget?.give(held);
            held = 0;
        };
        stream.on('data', (chunk) => {
            size += chunk.length;
            if (!problem) {
                for (let i = 0; i < chunk.length; i++) {
                    const c = chunk[i];
                    if (inHeader && lineLen === 0 && c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && ++fields > HEADER_LIMITS.maxFields) {
                        fail(smtpReply(552, '5.3.4', `Message refused: its header has more than ${HEADER_LIMITS.maxFields} fields`));
                        break;
                    }
                    if (prevCr && c !== 0x0a) {
                        fail(smtpReply(550, '5.6.0', `Message refused: bare <CR> on line ${line}; lines must end with <CR><LF> (RFC 5321 2.3.8)`));
                        break;
                    }
                    if (c === 0x0a) {
                        if (!prevCr) {
                            fail(smtpReply(550, '5.6.0', `Message refused: bare <LF> on line ${line}; lines must end with <CR><LF> (RFC 5321 2.3.8)`));
                            break;
                        }
                        prevCr = false;
                        if (inHeader && lineLen <= 1)
                            inHeader = false;
                        else if (inHeader && size - chunk.length + i >= HEADER_LIMITS.maxBytes) {
                            fail(smtpReply(552, '5.3.4', `Message refused: its header is larger than ${HEADER_LIMITS.maxBytes} octets`));
                            break;
                        }
                        lineLen = 0;
                        line++;
                        continue;
                    }
                    if (c === 0x00) {
                        fail(smtpReply(550, '5.6.0', `Message refused: NUL octet on line ${line} (RFC 5322 2.1)`));
                        break;
                    }
                    prevCr = c === 0x0d;
                    lineLen++;
                    if (lineLen + (prevCr ? 1 : 2) > MAX_LINE) {
                        fail(smtpReply(550, '5.6.0', `Message refused: line ${line} is longer than ${MAX_LINE} octets (RFC 5321 4.5.3.1.6)`));
                        break;
                    }
                }
                if (!problem && size > maxSize)
                    fail(smtpReply(552, '5.3.4', `Message too big: the limit is ${maxSize} octets (RFC 1870)`));
                if (!problem && budget && !budget.take(chunk.length))
                    fail(smtpReply(452, '4.3.1', 'Insufficient system resources: too much mail arriving at once; try again later'));
                if (!problem) {
                    chunks.push(chunk);
                    if (budget)
                        held += chunk.length;
                }
            }
        });
        stream.once('end', () => {
            if (!problem && prevCr)
                problem = smtpReply(550, '5.6.0', `Message refused: bare <CR> at its end (RFC 5321 2.3.8)`);
            if (problem) {
                budget?.give(held);
                held = 0;
                resolve({ ok: false, reply: problem, held: 0 });
            }
            else
                resolve({ ok: true, raw: Buffer.concat(chunks, size), held });
        });
        stream.once('error', (e) => { budget?.give(held); held = 0; reject(e); });
    });
}
//# sourceMappingURL=message-reader.js.map