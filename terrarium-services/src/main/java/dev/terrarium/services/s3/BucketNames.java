package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.regex.Pattern;

/** S3's general purpose bucket naming rules. */
final class BucketNames {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private BucketNames() {}

    static void validate(String name) {
        if (name == null || !SHAPE.matcher(name).matches() || IP.matcher(name).matches() || name.contains("..")
                || name.contains(".-") || name.contains("-.") || name.startsWith("xn--") || name.startsWith("sthree-")
                || name.endsWith("-s3alias") || name.endsWith("--ol-s3") || name.endsWith(".mrap")
                || name.endsWith("--x-s3")) {
            throw new AwsException("InvalidBucketName", "The specified bucket is not valid.", 400)
                    .withFields(Struct.of("BucketName", name));
        }
    }
}
