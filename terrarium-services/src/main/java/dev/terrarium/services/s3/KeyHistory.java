package dev.terrarium.services.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The versions of one key, newest first. Guarded by its own monitor, so writers to one key serialize
 * here and nowhere else. A history emptied by a delete is dead: it has left the bucket's map and
 * writers that still hold it retry with a fresh one.
 */
final class KeyHistory {
    private final List<S3Object> versions = new ArrayList<>(1);
    private boolean dead;

    /** What a push replaced (a "null" version whose content can go), when it happened. */
    record Pushed(S3Object replaced) {
    }

    synchronized S3Object current() {
        return versions.isEmpty() ? null : versions.get(0);
    }

    /** The current version unless it is a delete marker (or there is none). */
    synchronized S3Object live() {
        S3Object c = current();
        return c == null || c.deleteMarker ? null : c;
    }

    synchronized S3Object version(String versionId) {
        for (S3Object o : versions) {
            if (o.versionId.equals(versionId)) {
                return o;
            }
        }
        return null;
    }

    /**
     * Makes o the current version after check accepted the live version (conditional writes throw from
     * it); with replaceNull an existing "null" version is dropped. Null when this history is dead.
     */
    synchronized Pushed push(S3Object o, boolean replaceNull, Consumer<S3Object> check) {
        if (dead) {
            return null;
        }
        check.accept(live());
        S3Object replaced = null;
        if (replaceNull) {
            for (int i = 0; i < versions.size(); i++) {
                if (versions.get(i).isNullVersion()) {
                    replaced = versions.remove(i);
                    break;
                }
            }
        }
        versions.add(0, o);
        return new Pushed(replaced);
    }

    /** Removes a version; true when the history became empty (and dead). */
    synchronized boolean remove(S3Object o) {
        versions.remove(o);
        if (versions.isEmpty()) {
            dead = true;
        }
        return dead;
    }

    synchronized List<S3Object> all() {
        return new ArrayList<>(versions);
    }
}
