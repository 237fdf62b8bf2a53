package io.sluice.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** The header of Avro single-object encoding: the marker C3 01, then the schema's CRC-64-AVRO fingerprint, little-endian. */
final class SingleObjectEncoding {

    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = (byte) 0x01;
    static final int HEADER_LENGTH = 10;

    private SingleObjectEncoding() {
    }

    /** The CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form. */
    static long fingerprintOf(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    static boolean hasMarker(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }

    /** Reads the fingerprint of bytes that have the marker and at least a full header. */
    static long fingerprintIn(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The fingerprint as it appears in the header, as hex bytes (e.g. "3a 7f ..."): what a person sees in a hex dump. */
    static String hex(long fingerprint) {
        byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array();
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
