package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** GetObjectAttributes: the attributes asked for in x-amz-object-attributes, parts paged like ListParts. */
final class ObjectAttributes {
    private static final Set<String> NAMES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");

    private ObjectAttributes() {}

    static Struct of(S3Object o, Bucket b, Struct in) {
        List<String> wanted = new ArrayList<>();
        for (String v : in.strings("ObjectAttributes") == null ? List.<String>of() : in.strings("ObjectAttributes")) {
            for (String name : v.split(",")) {
                if (!name.isBlank()) {
                    wanted.add(name.trim());
                }
            }
        }
        if (wanted.isEmpty()) {
            throw S3Errors.invalidRequest("The x-amz-object-attributes header specifying the attributes to be "
                    + "retrieved is either missing or empty");
        }
        for (String name : wanted) {
            if (!NAMES.contains(name)) {
                throw S3Errors.invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", name);
            }
        }
        Struct out = Struct.of("LastModified", o.lastModified, "VersionId", o.reportedVersionId(b.everVersioned()));
        if (wanted.contains("ETag")) {
            out.put("ETag", o.etag.replace("\"", ""));
        }
        if (wanted.contains("StorageClass")) {
            out.put("StorageClass", o.meta.storageClass());
        }
        if (wanted.contains("ObjectSize")) {
            out.put("ObjectSize", o.size());
        }
        if (wanted.contains("Checksum") && o.checksumAlgorithm != null) {
            out.put("Checksum", Struct.of("Checksum" + o.checksumAlgorithm, o.checksumValue,
                    "ChecksumType", o.checksumType));
        }
        if (wanted.contains("ObjectParts") && o.partSizes != null) {
            out.put("ObjectParts", parts(o, in));
        }
        return out;
    }

    private static Struct parts(S3Object o, Struct in) {
        int max = Math.min(in.integer("MaxParts", 1000), 1000);
        int marker = in.integer("PartNumberMarker", 0);
        List<Object> parts = new ArrayList<>();
        int last = marker;
        boolean truncated = false;
        for (int n = marker + 1; n <= o.partSizes.length; n++) {
            if (parts.size() == max) {
                truncated = true;
                break;
            }
            parts.add(Struct.of("PartNumber", n, "Size", o.partSizes[n - 1]));
            last = n;
        }
        return Struct.of("TotalPartsCount", o.partSizes.length, "PartNumberMarker", marker,
                "NextPartNumberMarker", last, "MaxParts", max, "IsTruncated", truncated,
                "Parts", parts.isEmpty() ? null : parts);
    }
}
