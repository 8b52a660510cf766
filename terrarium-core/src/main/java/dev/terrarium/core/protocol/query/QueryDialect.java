package dev.terrarium.core.protocol.query;

import dev.terrarium.core.model.Member;
import dev.terrarium.core.protocol.xml.XmlNames;

/** The two ways the query protocols name request parameters (botocore QuerySerializer and EC2Serializer). */
enum QueryDialect {
    /** awsQuery: locationName or member name; lists "X.member.N" (or flattened "X.N"), empty lists as "X=". */
    AWS_QUERY {
        @Override
        String memberKey(Member m) {
            return XmlNames.serializedName(m, m.name());
        }
    },
    /** ec2Query: queryName, else locationName capitalized, else member name; every list flattened "X.N". */
    EC2 {
        @Override
        String memberKey(Member m) {
            if (m.queryName() != null) {
                return m.queryName();
            }
            String name = XmlNames.serializedName(m, null);
            if (name != null && !name.isEmpty()) {
                return Character.toUpperCase(name.charAt(0)) + name.substring(1);
            }
            return m.name();
        }
    };

    abstract String memberKey(Member m);
}
