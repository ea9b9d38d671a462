package tracker.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.StructProto;

/**
 * Reads TensorBoard event files from the published formats, independently of the writer: TFRecord
 * framing with masked CRC-32C checks (the CRC from the specification, bit by bit, not the JDK's
 * class the writer uses), and Event / Summary / HParamsPluginData decoded by protobuf-java from
 * descriptors declared here with the field numbers of tensorboard/compat/proto/event.proto,
 * summary.proto and tensorboard/plugins/hparams/plugin_data.proto.
 */
final class TensorBoardEventReader {
    static final Descriptors.Descriptor EVENT;
    static final Descriptors.Descriptor HPARAMS_PLUGIN_DATA;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("tb_subset.proto").setPackage("tb").setSyntax("proto3")
                .addDependency("google/protobuf/struct.proto")
                .addMessageType(message("Event",
                        field("wall_time", 1, Type.TYPE_DOUBLE), field("step", 2, Type.TYPE_INT64),
                        oneof(field("file_version", 3, Type.TYPE_STRING)), oneof(field("summary", 5, ".tb.Summary"))).toBuilder()
                        .addOneofDecl(OneofDescriptorProto.newBuilder().setName("what")))
                .addMessageType(message("Summary", repeated(field("value", 1, ".tb.Value"))))
                .addMessageType(message("Value", field("tag", 1, Type.TYPE_STRING), field("simple_value", 2, Type.TYPE_FLOAT),
                        field("metadata", 9, ".tb.SummaryMetadata")))
                .addMessageType(message("SummaryMetadata", field("plugin_data", 1, ".tb.PluginData")))
                .addMessageType(message("PluginData", field("plugin_name", 1, Type.TYPE_STRING), field("content", 2, Type.TYPE_BYTES)))
                .addMessageType(message("HParamsPluginData", field("version", 1, Type.TYPE_INT32),
                        field("session_start_info", 3, ".tb.SessionStartInfo"), field("session_end_info", 4, ".tb.SessionEndInfo")))
                .addMessageType(message("SessionStartInfo", repeated(field("hparams", 1, ".tb.SessionStartInfo.HparamsEntry")),
                        field("group_name", 4, Type.TYPE_STRING), field("start_time_secs", 5, Type.TYPE_DOUBLE)).toBuilder()
                        .addNestedType(message("HparamsEntry", field("key", 1, Type.TYPE_STRING), field("value", 2, ".google.protobuf.Value"))
                                .toBuilder().setOptions(MessageOptions.newBuilder().setMapEntry(true))))
                .addMessageType(message("SessionEndInfo", field("status", 1, Type.TYPE_INT32), field("end_time_secs", 2, Type.TYPE_DOUBLE)))
                .build();
        try {
            Descriptors.FileDescriptor fd = Descriptors.FileDescriptor.buildFrom(file,
                    new Descriptors.FileDescriptor[]{StructProto.getDescriptor()});
            EVENT = fd.findMessageTypeByName("Event");
            HPARAMS_PLUGIN_DATA = fd.findMessageTypeByName("HParamsPluginData");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static DescriptorProto message(String name, FieldDescriptorProto.Builder... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto.Builder f : fields) {
            b.addField(f);
        }
        return b.build();
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder field(String name, int number, String messageType) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(Type.TYPE_MESSAGE)
                .setTypeName(messageType).setLabel(Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder repeated(FieldDescriptorProto.Builder f) {
        return f.setLabel(Label.LABEL_REPEATED);
    }

    private static FieldDescriptorProto.Builder oneof(FieldDescriptorProto.Builder f) {
        return f.setOneofIndex(0);
    }

    /** Every event of a file, each record's CRCs checked. */
    static List<DynamicMessage> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<DynamicMessage> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] header = new byte[8];
            in.get(header);
            int headerCrc = in.getInt();
            if (headerCrc != masked(header)) {
                throw new IOException("bad length CRC at record " + events.size());
            }
            long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = new byte[Math.toIntExact(length)];
            in.get(data);
            if (in.getInt() != masked(data)) {
                throw new IOException("bad data CRC at record " + events.size());
            }
            events.add(DynamicMessage.parseFrom(EVENT, data));
        }
        return events;
    }

    /** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), masked as TFRecord specifies. */
    static int masked(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        crc = ~crc;
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    static Object get(DynamicMessage m, String field) {
        return m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    static boolean has(DynamicMessage m, String field) {
        return m.hasField(m.getDescriptorForType().findFieldByName(field));
    }
}
