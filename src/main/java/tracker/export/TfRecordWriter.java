package tracker.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length (uint64,
 * little-endian), a masked CRC-32C of those 8 bytes, the data, and a masked CRC-32C of the data.
 * The mask (rotate right by 15, add 0xa282ead8) keeps a CRC of data that holds CRCs from being
 * trivially zero.
 */
final class TfRecordWriter {
    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    TfRecordWriter(OutputStream out) {
        this.out = out;
    }

    void write(byte[] data) throws IOException {
        byte[] length = new byte[8];
        long n = data.length;
        for (int i = 0; i < 8; i++) {
            length[i] = (byte) (n >>> (8 * i));
        }
        out.write(length);
        writeInt(maskedCrc(length));
        out.write(data);
        writeInt(maskedCrc(data));
    }

    static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private void writeInt(int v) throws IOException {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xff);
        }
    }
}
