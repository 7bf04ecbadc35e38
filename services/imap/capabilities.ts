// CAPABILITY (RFC 9051 6.1.1): what this server offers. Before TLS on the plain port, LOGIN and
// AUTHENTICATE are refused (LOGINDISABLED, no AUTH=): passwords never travel in clear.
export function capabilityList(s: { secure: boolean; authenticated: boolean; appendLimit: number }): string[] {
  const caps = ['IMAP4rev1', 'IMAP4rev2'];
  if (!s.authenticated) {
    if (s.secure) caps.push('AUTH=PLAIN');
    else caps.push('STARTTLS', 'LOGINDISABLED');
    caps.push('SASL-IR');
  }
  caps.push(
    'LITERAL+', 'ID', 'ENABLE', 'IDLE', 'NAMESPACE', 'UNSELECT', 'UIDPLUS', 'MOVE', 'MULTIAPPEND', 'SPECIAL-USE',
    'CHILDREN', 'LIST-EXTENDED', 'LIST-STATUS', 'CONDSTORE', 'QRESYNC', 'ESEARCH', 'SEARCHRES',
    `APPENDLIMIT=${s.appendLimit}`, 'QUOTA', 'QUOTA=RES-STORAGE', 'STATUS=SIZE', 'UTF8=ACCEPT', 'BINARY',
    'SORT', 'SORT=DISPLAY', 'ESORT', 'CATENATE', 'THREAD=ORDEREDSUBJECT', 'THREAD=REFERENCES',
    'CONTEXT=SEARCH', 'CONTEXT=SORT', 'PARTIAL', 'NOTIFY',
  );
  return caps;
}
