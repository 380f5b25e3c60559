package dev.meridian.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code meridian version}: the build's version and the Java runtime it runs on. */
@Command(name = "version", description = {"Print the Meridian version and the Java runtime.", "",
        "Example:", "  meridian version"})
final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println(String.join(System.lineSeparator(), new Provider().getVersion()));
    }

    /** The version lines, shared with {@code meridian --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    "meridian " + buildVersion(),
                    "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }

    static String buildVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }
}
