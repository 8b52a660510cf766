package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** S3's object listings: ListObjects, ListObjectsV2 and ListObjectVersions. */
final class S3ListingOperations {
    private final S3State s3;

    S3ListingOperations(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("ListObjects")
    public Struct listObjects(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        boolean url = encodingType(in);
        int max = maxKeys(in);
        String marker = in.string("Marker");
        Listing.Page page = Listing.live(b.objects, in.string("Prefix"), in.string("Delimiter"), marker, max);
        Struct out = listingBody(b, in, page, true, url);
        out.put("Marker", url ? UrlEncoding.encode(marker == null ? "" : marker) : (marker == null ? "" : marker));
        if (page.truncated() && in.string("Delimiter") != null) {
            out.put("NextMarker", url ? UrlEncoding.encode(page.last()) : page.last());
        }
        return out;
    }

    @AwsOperation("ListObjectsV2")
    public Struct listObjectsV2(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        boolean url = encodingType(in);
        int max = maxKeys(in);
        String token = in.string("ContinuationToken");
        String after = token != null ? Tokens.decode(token, "continuation-token") : in.string("StartAfter");
        Listing.Page page = Listing.live(b.objects, in.string("Prefix"), in.string("Delimiter"), after, max);
        Struct out = listingBody(b, in, page, in.bool("FetchOwner", false), url);
        out.put("KeyCount", page.objects().size() + page.commonPrefixes().size());
        out.put("ContinuationToken", token);
        out.put("NextContinuationToken", page.truncated() ? Tokens.encode(page.last()) : null);
        String startAfter = in.string("StartAfter");
        out.put("StartAfter", url ? UrlEncoding.encode(startAfter) : startAfter);
        return out;
    }

    private static Struct listingBody(Bucket b, Struct in, Listing.Page page, boolean owner, boolean url) {
        List<Object> contents = new ArrayList<>(page.objects().size());
        for (S3Object o : page.objects()) {
            contents.add(ObjectResponses.listEntry(o, owner, url));
        }
        List<Object> prefixes = new ArrayList<>(page.commonPrefixes().size());
        for (String p : page.commonPrefixes()) {
            prefixes.add(Struct.of("Prefix", url ? UrlEncoding.encode(p) : p));
        }
        String prefix = in.string("Prefix", "");
        String delimiter = in.string("Delimiter");
        return Struct.of("Name", b.name, "Prefix", url ? UrlEncoding.encode(prefix) : prefix,
                "Delimiter", url ? UrlEncoding.encode(delimiter) : delimiter, "MaxKeys", maxKeysEcho(in),
                "EncodingType", in.string("EncodingType"), "IsTruncated", page.truncated(),
                "Contents", contents.isEmpty() ? null : contents,
                "CommonPrefixes", prefixes.isEmpty() ? null : prefixes);
    }

    static boolean encodingType(Struct in) {
        String e = in.string("EncodingType");
        if (e != null && !e.equals("url")) {
            throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", e);
        }
        return e != null;
    }

    static int maxKeys(Struct in) {
        Integer max = in.integer("MaxKeys");
        if (max == null) {
            return 1000;
        }
        if (max < 0) {
            throw S3Errors.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys",
                    max.toString());
        }
        return Math.min(max, 1000);
    }

    private static int maxKeysEcho(Struct in) {
        Integer max = in.integer("MaxKeys");
        return max == null ? 1000 : max;
    }


    @AwsOperation("ListObjectVersions")
    public Struct listObjectVersions(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        boolean url = S3ListingOperations.encodingType(in);
        int max = S3ListingOperations.maxKeys(in);
        String prefix = in.string("Prefix", "");
        String delimiter = in.string("Delimiter");
        String keyMarker = in.string("KeyMarker");
        String versionMarker = in.string("VersionIdMarker");
        if (versionMarker != null && keyMarker == null) {
            throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.",
                    "version-id-marker", versionMarker);
        }
        List<Object> versions = new ArrayList<>();
        List<Object> markers = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
        String lastPrefix = null;
        int count = 0;
        boolean truncated = false;
        String nextKey = null;
        String nextVersion = null;
        String from = keyMarker != null && versionMarker != null ? keyMarker : keyMarker;
        var keys = from == null ? (prefix.isEmpty() ? b.objects : b.objects.tailMap(prefix, true))
                : b.objects.tailMap(from, versionMarker != null);
        outer:
        for (Map.Entry<String, KeyHistory> e : keys.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                if (KeyOrder.INSTANCE.compare(key, prefix) > 0) {
                    break;
                }
                continue;
            }
            String cp = Listing.commonPrefix(key, prefix, delimiter == null || delimiter.isEmpty() ? null : delimiter);
            if (cp != null) {
                if (cp.equals(lastPrefix) || cp.equals(keyMarker)) {
                    continue;
                }
                if (count == max) {
                    truncated = true;
                    break;
                }
                prefixes.add(Struct.of("Prefix", url ? UrlEncoding.encode(cp) : cp));
                lastPrefix = cp;
                nextKey = cp;
                nextVersion = null;
                count++;
                continue;
            }
            List<S3Object> all = e.getValue().all();
            boolean skipping = versionMarker != null && key.equals(keyMarker);
            for (int i = 0; i < all.size(); i++) {
                S3Object o = all.get(i);
                if (skipping) {
                    if (o.versionId.equals(versionMarker)) {
                        skipping = false;
                    }
                    continue;
                }
                if (count == max) {
                    truncated = true;
                    break outer;
                }
                String k = url ? UrlEncoding.encode(o.key) : o.key;
                if (o.deleteMarker) {
                    markers.add(Struct.of("Owner", Owners.owner(o.owner), "Key", k, "VersionId", o.versionId,
                            "IsLatest", i == 0, "LastModified", o.lastModified));
                } else {
                    Struct v = Struct.of("ETag", o.etag, "Size", o.size(), "StorageClass", o.meta.storageClass(),
                            "Key", k, "VersionId", o.versionId, "IsLatest", i == 0, "LastModified", o.lastModified,
                            "Owner", Owners.owner(o.owner));
                    if (o.checksumAlgorithm != null) {
                        v.put("ChecksumAlgorithm", List.of(o.checksumAlgorithm));
                        v.put("ChecksumType", o.checksumType);
                    }
                    versions.add(v);
                }
                nextKey = o.key;
                nextVersion = o.versionId;
                count++;
            }
        }
        return Struct.of("Name", b.name, "Prefix", prefix, "Delimiter", delimiter, "MaxKeys", max,
                "KeyMarker", keyMarker == null ? "" : keyMarker, "VersionIdMarker", versionMarker == null ? "" : versionMarker,
                "EncodingType", in.string("EncodingType"), "IsTruncated", truncated,
                "NextKeyMarker", truncated ? nextKey : null, "NextVersionIdMarker", truncated ? nextVersion : null,
                "Versions", versions.isEmpty() ? null : versions, "DeleteMarkers", markers.isEmpty() ? null : markers,
                "CommonPrefixes", prefixes.isEmpty() ? null : prefixes);
    }
}
