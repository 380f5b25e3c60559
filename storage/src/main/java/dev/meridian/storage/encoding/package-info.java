/**
 * Order-preserving key encoding: SQL values and tuples to bytes whose unsigned lexicographic
 * order (RocksDB's byte-wise comparator) is the SQL order of the values.
 *
 * <h2>Invariants</h2>
 * <p>Relied on by the SQL row and index encoding (a scan in key order is a scan in SQL order;
 * a unique index finds a duplicate by an exact key), by prefix scans
 * ({@link dev.meridian.storage.encoding.KeyEncoding#prefixEnd}) and by EXPLAIN and debug output
 * ({@link dev.meridian.storage.encoding.KeyEncoding#format}).
 * <ol>
 *   <li><b>Order.</b> For values a, b of one column type, {@code compareUnsigned(enc(a), enc(b))}
 *       has the sign of the SQL comparison of a and b in an ASC column, and the opposite sign in
 *       a DESC column. NULL sorts after every value ASC and before every value DESC, as in
 *       PostgreSQL.</li>
 *   <li><b>Canonical.</b> Values that SQL calls equal encode to identical bytes: -0.0 is written
 *       as 0.0, every NaN as one NaN, and a DECIMAL without its scale (1.0, 1.00 and 1 are one
 *       key). Readers reject non-canonical forms, so one value never has two keys.</li>
 *   <li><b>Prefix-free.</b> No encoded value is a proper prefix of another value's encoding in
 *       the same column. With (1) and (2) this is why a tuple key can be the plain
 *       concatenation of its columns: the first differing column decides the comparison, and a
 *       NULL in one column cannot disturb the next.</li>
 *   <li><b>Self-describing first byte.</b> Each value starts with a marker byte that tells its
 *       type and direction; {@link dev.meridian.storage.encoding.KeyReader#peekType()} uses it.
 *       ASC value markers lie in {@code [0x10, 0x7D]}, ASC NULL is {@code 0x7E}, DESC NULL is
 *       {@code 0x81} and DESC value markers lie in {@code [0x82, 0xEF]}. NULL's marker is above
 *       every value marker, so NULL sorts last ASC and, inverted, first DESC. Unused markers in
 *       {@code [0x12, 0x1E]}, {@code [0x31, 0x37]}, {@code [0x39, 0x4F]}, {@code [0x53, 0x5F]},
 *       {@code [0x62, 0x6F]} and {@code [0x72, 0x7D]} are free for new types.</li>
 *   <li><b>Bounded reads.</b> A reader never reads beyond the value it decodes; decoding a
 *       tuple column by column ends exactly at its end.</li>
 * </ol>
 *
 * <h2>Format (ASC form; a DESC value is its ASC form with every byte XORed with 0xFF)</h2>
 * <pre>
 * value      marker                      body
 * NULL       7E                          (none)
 * BOOLEAN    10 false, 11 true           (none)
 * INT        1F..30 (length marker)      minimal big-endian bytes, see below
 * FLOAT      38                          8 bytes, see below
 * DECIMAL    50 negative, 51 zero,       positive: signed(E) digit-pairs 00
 *            52 positive                 negative: that body of |x|, every byte inverted
 * STRING     60                          escaped UTF-8, then 00 01
 * BYTES      61                          escaped bytes, then 00 01
 * DATE       70                          signed(days since 1970-01-01)
 * TIMESTAMP  71                          signed(microseconds since 1970-01-01T00:00, no zone)
 * </pre>
 * <ul>
 *   <li><b>signed(v)</b> (INT, DATE, TIMESTAMP, decimal exponents): for {@code v >= 0} the byte
 *       {@code 0x28 + n} then the n minimal big-endian bytes of v (0 is just {@code 28}); for
 *       {@code v < 0} the byte {@code 0x27 - n}, where n is the minimal byte count of
 *       {@code ~v}, then the low n bytes of v (-1 is just {@code 27}). More bytes mean a larger
 *       magnitude, so the length byte orders first and equal lengths compare byte-wise. Why:
 *       keys are compact (ids and small numbers take 1-2 bytes) yet fixed-width within a
 *       length. Examples: {@code 0 -> 28}, {@code 1 -> 29 01}, {@code 256 -> 2A 01 00},
 *       {@code -1 -> 27}, {@code -2 -> 26 FE}, {@code Long.MIN_VALUE -> 1F 80 00 00 00 00 00 00 00}.
 *       A leading byte that could be dropped (00 for v &gt;= 0, FF for v &lt; 0) is rejected.</li>
 *   <li><b>FLOAT</b>: the IEEE bits, with all bits flipped for negatives and only the sign bit
 *       set for positives, so the bits compare as unsigned integers in numeric order. The
 *       canonical NaN {@code 7FF8000000000000} becomes {@code FFF8…}, above +Infinity
 *       ({@code FFF0…}): NaN sorts above everything, as in PostgreSQL. Example:
 *       {@code 1.0 -> 38 BF F0 00 00 00 00 00 00}.</li>
 *   <li><b>DECIMAL</b>: a non-zero x is {@code ±0.d1…dk × 10^E} with no leading or trailing zero
 *       digit. Positive values order by E, then by digit string, a prefix first; digits go two
 *       per byte as {@code 1 + 10·hi + lo} (1..100; an odd count gets a padding 0 digit, which
 *       cannot be confused with a real trailing digit since those are never 0), and
 *       {@code 00}, below every digit byte, ends them. Inverting the body of a negative value
 *       reverses all of that. Example: {@code 1.5 -> 52 29 01 10 00}; {@code -1.5 -> 50 D6 FE EF
 *       FF}. A value whose scale without trailing zeros exceeds the int range is refused on
 *       write.</li>
 *   <li><b>STRING</b>: UTF-8, whose byte order is code point order, i.e. PostgreSQL's "C"
 *       collation (not Java's {@link java.lang.String#compareTo}, which is UTF-16 order and
 *       differs above U+FFFF). No other collation is supported by keys. Unpaired surrogates are
 *       refused on write. <b>Escaping</b> (STRING and BYTES): {@code 00} is written
 *       {@code 00 FF} and the value ends with {@code 00 01}; the terminator sorts below every
 *       content byte and below an escaped zero, so a prefix sorts first and an embedded zero
 *       does not end the value. Example: {@code "a" -> 60 61 00 01};
 *       {@code x'00' -> 61 00 FF 00 01}.</li>
 *   <li><b>Unsigned ids</b> (table and index ids in {@code /Table/<table>/<index>/…}): ASC only,
 *       no marker. Values below {@code 0xF8} are one byte; larger ones are
 *       {@code 0xF7 + n} then n minimal big-endian bytes ({@code 248 -> F8 F8},
 *       {@code 256 -> F9 01 00}). Non-minimal forms are rejected.</li>
 * </ul>
 *
 * <p>A reader must know each column's type and direction: a DESC column is read by XORing every
 * byte with 0xFF ({@link dev.meridian.storage.encoding.Direction}), and every read checks its
 * marker. Malformed input (truncated, wrong marker, bad escape, non-canonical form, invalid
 * UTF-8) throws {@link dev.meridian.storage.encoding.KeyDecodingException}.
 * {@link dev.meridian.storage.encoding.KeyEncoding#prefixEnd(byte[])} gives the exclusive upper
 * bound of a prefix scan.
 *
 * <p><b>HAZARD: this is an on-disk format.</b> Every marker byte, layout and normalization
 * above is stored in keys on disk and compared by RocksDB; changing any of them silently
 * corrupts the order of existing data (scans miss rows, uniqueness checks pass wrongly). A
 * change needs a new format version and a migration, never an edit here. The exact bytes are
 * pinned by {@code KeyFormatSpecTest}; if that test fails, the change is the bug.
 *
 * <p><b>HAZARD: canonical forms.</b> Dropping a normalization (for -0.0, NaN or decimal scale)
 * would give one SQL value two keys, and a unique index would then admit duplicates.
 *
 * <p>This package is deterministic (ArchitectureTest): pure functions of their inputs, no clock,
 * no randomness, no hash-ordered collections.
 */
package dev.meridian.storage.encoding;
