package dev.resnetops.cli;

import picocli.CommandLine;

/** Reports the build version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Mlops.class.getPackage().getImplementationVersion();
        return new String[] {"mlops " + (version == null ? "dev" : version)
                + " (DJL 0.36.0, PyTorch 2.7.1, Java " + Runtime.version().feature() + ")"};
    }
}
