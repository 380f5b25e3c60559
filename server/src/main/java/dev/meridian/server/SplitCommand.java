package dev.meridian.server;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.KvClient;
import dev.meridian.cluster.kv.KvClientConfig;
import dev.meridian.proto.kv.AdminSplitRequest;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.server.cli.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code meridian debug split}: splits the range holding a key so that the key starts a new range. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Split the range that holds KEY so that KEY starts a new range on the same replicas."},
        footer = {"", "Examples:", "  meridian debug split --host 127.0.0.1:26257 --key user/m",
                "  meridian debug split --host 127.0.0.1:26257 --key 'user/\\x00\\xff'"})
final class SplitCommand implements Callable<Integer> {

    @Option(names = "--host", required = true, paramLabel = "HOST:PORT[,...]", description = "Nodes to reach the cluster through.")
    String hosts;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The split key; \\xNN escapes give raw bytes.")
    String key;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        byte[] k = unescape(key);
        if (!Keys.isValidSplitKey(k)) {
            spec.commandLine().getErr().println("error: cannot split at " + Keys.pretty(k) + ": keys below "
                    + Keys.pretty(Keys.META_MAX) + " stay in the first range");
            return 1;
        }
        try (KvClient client = KvClient.connect(Units.addresses(hosts), KvClientConfig.defaults())) {
            BatchResponse r = client.batch(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder()
                    .setAdminSplit(AdminSplitRequest.newBuilder().setSplitKey(ByteString.copyFrom(k)))).build())
                    .get(60, TimeUnit.SECONDS);
            if (r.hasError()) {
                spec.commandLine().getErr().println("error: " + r.getError().getKind() + ": " + r.getError().getMessage());
                return 1;
            }
            RangeDescriptor left = r.getResponses(0).getAdminSplit().getLeft();
            RangeDescriptor right = r.getResponses(0).getAdminSplit().getRight();
            spec.commandLine().getOut().printf("split r%d at %s: r%d [%s, %s) and r%d [%s, %s)%n", left.getRangeId(),
                    Keys.pretty(k), left.getRangeId(), Keys.pretty(left.getStartKey().toByteArray()),
                    Keys.pretty(left.getEndKey().toByteArray()), right.getRangeId(),
                    Keys.pretty(right.getStartKey().toByteArray()), Keys.pretty(right.getEndKey().toByteArray()));
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            spec.commandLine().getErr().println("error: " + e.getCause().getMessage());
            return 1;
        }
    }

    /** Text with {@code \xNN} escapes (and {@code \\}) as bytes. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                out.write(HexFormat.fromHexDigits(s, i + 2, i + 4));
                i += 3;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }
}
