package dev.terrarium.services.sqs;

import dev.terrarium.core.service.AwsException;

/** The rules for a message body: present, not empty, and only the characters XML allows. */
final class MessageBody {
    private MessageBody() {
    }

    static void check(String body) {
        if (body == null || body.isEmpty()) {
            throw SqsErrors.missingParameter("MessageBody");
        }
        if (!validCharacters(body)) {
            throw new AwsException("InvalidMessageContents", "Invalid characters found. Valid unicode characters are "
                    + "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        }
    }

    /** #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF (unpaired surrogates are not). */
    static boolean validCharacters(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!ok) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
