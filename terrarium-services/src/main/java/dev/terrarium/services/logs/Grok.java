package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A grok expression (the transformer's grok processor): %{PATTERN:field} and %{PATTERN} over the usual
 * named patterns (those of Logstash's grok-patterns file that CloudWatch Logs lists), plain regular
 * expression text between them. Each named field captures a string; a dotted field name makes nested keys.
 * The expression is searched for in the text (not anchored). Compiled expressions are cached.
 */
final class Grok {
    private static final Pattern REFERENCE = Pattern.compile("%\\{(\\w+)(?::([\\w.@\\[\\]-]+))?(?::\\w+)?}");
    private static final Map<String, String> PATTERNS = Map.ofEntries(
            Map.entry("USERNAME", "[a-zA-Z0-9._-]+"),
            Map.entry("USER", "%{USERNAME}"),
            Map.entry("EMAILLOCALPART", "[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~]{1,64}(?:\\.[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~]{1,62}){0,63}"),
            Map.entry("EMAILADDRESS", "%{EMAILLOCALPART}@%{HOSTNAME}"),
            Map.entry("INT", "(?:[+-]?(?:[0-9]+))"),
            Map.entry("BASE10NUM", "(?<![0-9.+-])(?>[+-]?(?:(?:[0-9]+(?:\\.[0-9]+)?)|(?:\\.[0-9]+)))"),
            Map.entry("NUMBER", "(?:%{BASE10NUM})"),
            Map.entry("BASE16NUM", "(?<![0-9A-Fa-f])(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+))"),
            Map.entry("POSINT", "\\b(?:[1-9][0-9]*)\\b"),
            Map.entry("NONNEGINT", "\\b(?:[0-9]+)\\b"),
            Map.entry("WORD", "\\b\\w+\\b"),
            Map.entry("NOTSPACE", "\\S+"),
            Map.entry("SPACE", "\\s*"),
            Map.entry("DATA", ".*?"),
            Map.entry("GREEDYDATA", ".*"),
            Map.entry("QUOTEDSTRING", "(?>(?<!\\\\)(?>\"(?>\\\\.|[^\\\\\"]+)+\"|\"\"|(?>'(?>\\\\.|[^\\\\']+)+')|''|(?>`(?>\\\\.|[^\\\\`]+)+`)|``))"),
            Map.entry("UUID", "[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}"),
            Map.entry("CISCOMAC", "(?:(?:[A-Fa-f0-9]{4}\\.){2}[A-Fa-f0-9]{4})"),
            Map.entry("WINDOWSMAC", "(?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})"),
            Map.entry("COMMONMAC", "(?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})"),
            Map.entry("MAC", "(?:%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC})"),
            Map.entry("IPV6", "(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}"
                    + "|:(?:(?::[0-9A-Fa-f]{1,4}){1,7}|:))(?:%\\w+)?"),
            Map.entry("IPV4", "(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])"
                    + "[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]))(?![0-9])"),
            Map.entry("IP", "(?:%{IPV6}|%{IPV4})"),
            Map.entry("HOSTNAME", "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\\.?|\\b)"),
            Map.entry("HOST", "%{HOSTNAME}"),
            Map.entry("IPORHOST", "(?:%{IP}|%{HOSTNAME})"),
            Map.entry("HOSTPORT", "%{IPORHOST}:%{POSINT}"),
            Map.entry("UNIXPATH", "(?:/[\\w_%!$@:.,+~-]*)+"),
            Map.entry("WINPATH", "(?>[A-Za-z]+:|\\\\)(?:\\\\[^\\\\?*]*)+"),
            Map.entry("PATH", "(?:%{UNIXPATH}|%{WINPATH})"),
            Map.entry("TTY", "(?:/dev/(?:pts|tty(?:[pq])?)(?:\\w+)?/?(?:[0-9]+))"),
            Map.entry("URIPROTO", "[A-Za-z](?:[A-Za-z0-9+\\-.]+)+"),
            Map.entry("URIHOST", "%{IPORHOST}(?::%{POSINT})?"),
            Map.entry("URIPATH", "(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\\-]*)+"),
            Map.entry("URIPARAM", "\\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\\-\\[\\]<>]*"),
            Map.entry("URIPATHPARAM", "%{URIPATH}(?:%{URIPARAM})?"),
            Map.entry("URI", "%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?"),
            Map.entry("MONTH", "\\b(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|[Mm]ay|[Jj]un(?:e)?"
                    + "|[Jj]ul(?:y)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?)\\b"),
            Map.entry("MONTHNUM", "(?:0?[1-9]|1[0-2])"),
            Map.entry("MONTHNUM2", "(?:0[1-9]|1[0-2])"),
            Map.entry("MONTHDAY", "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])"),
            Map.entry("DAY", "(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)"),
            Map.entry("YEAR", "(?>\\d\\d){1,2}"),
            Map.entry("HOUR", "(?:2[0123]|[01]?[0-9])"),
            Map.entry("MINUTE", "(?:[0-5][0-9])"),
            Map.entry("SECOND", "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)"),
            Map.entry("TIME", "(?<![0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])"),
            Map.entry("DATE_US", "%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}"),
            Map.entry("DATE_EU", "%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}"),
            Map.entry("ISO8601_TIMEZONE", "(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))"),
            Map.entry("ISO8601_SECOND", "(?:%{SECOND}|60)"),
            Map.entry("TIMESTAMP_ISO8601", "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?"),
            Map.entry("DATE", "%{DATE_US}|%{DATE_EU}"),
            Map.entry("DATESTAMP", "%{DATE}[- ]%{TIME}"),
            Map.entry("TZ", "(?:[APMCE][SD]T|UTC)"),
            Map.entry("HTTPDATE", "%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}"),
            Map.entry("SYSLOGTIMESTAMP", "%{MONTH} +%{MONTHDAY} %{TIME}"),
            Map.entry("PROG", "[\\x21-\\x5a\\x5c\\x5e-\\x7e]+"),
            Map.entry("SYSLOGHOST", "%{IPORHOST}"),
            Map.entry("LOGLEVEL", "(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo?(?:rmation)?"
                    + "|INFO?(?:RMATION)?|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?"
                    + "|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)"));
    private static final Map<String, Grok> CACHE = new ConcurrentHashMap<>();

    private final Pattern regex;
    private final List<String> fields;

    private Grok(Pattern regex, List<String> fields) {
        this.regex = regex;
        this.fields = fields;
    }

    /** The compiled expression; an unknown pattern name or bad regex is an InvalidParameterException. */
    static Grok compile(String match) {
        Grok cached = CACHE.get(match);
        if (cached != null) {
            return cached;
        }
        List<String> fields = new ArrayList<>();
        String expanded = expand(match, fields, 0);
        Pattern regex;
        try {
            regex = Pattern.compile(expanded);
        } catch (PatternSyntaxException e) {
            throw LogsErrors.invalidParameter("Invalid grok pattern: " + match);
        }
        Grok grok = new Grok(regex, fields);
        if (CACHE.size() < 1000) {
            CACHE.put(match, grok);
        }
        return grok;
    }

    private static String expand(String expression, List<String> fields, int depth) {
        if (depth > 10) {
            throw LogsErrors.invalidParameter("Invalid grok pattern: patterns nest too deeply.");
        }
        Matcher m = REFERENCE.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String definition = PATTERNS.get(m.group(1));
            if (definition == null) {
                throw LogsErrors.invalidParameter("Invalid grok pattern: unknown pattern " + m.group(1) + ".");
            }
            String inner = "(?:" + expand(definition, fields, depth + 1) + ")";
            if (m.group(2) != null) {
                fields.add(m.group(2));
                inner = "(?<g" + fields.size() + ">" + inner + ")";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(inner));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The named fields found in text, or null when the expression does not match. */
    ObjectNode match(String text) {
        Matcher m = regex.matcher(text);
        if (!m.find()) {
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < fields.size(); i++) {
            String v = m.group("g" + (i + 1));
            if (v != null) {
                LogTransformer.set(out, fields.get(i), JsonNodeFactory.instance.textNode(v), false);
            }
        }
        return out;
    }
}
