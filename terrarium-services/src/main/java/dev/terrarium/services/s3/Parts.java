package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;

/** GET/HEAD ?partNumber=N: the byte range of a part of a multipart object (part 1 of others is all of it). */
final class Parts {
    private Parts() {}

    static Ranges rangeOf(S3Object o, int partNumber) {
        long[] sizes = o.partSizes == null ? new long[] {o.size()} : o.partSizes;
        if (partNumber < 1 || partNumber > sizes.length) {
            throw new AwsException("InvalidPartNumber", "The requested partnumber is not satisfiable", 416)
                    .withFields(dev.terrarium.core.service.Struct.of("PartNumberRequested", partNumber,
                            "ActualPartCount", sizes.length));
        }
        long start = 0;
        for (int i = 0; i < partNumber - 1; i++) {
            start += sizes[i];
        }
        return new Ranges(start, start + sizes[partNumber - 1] - 1);
    }
}
