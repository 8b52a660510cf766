package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * Vended-log deliveries: delivery sources (a resource whose logs are sent), delivery destinations (S3, CloudWatch
 * Logs, Firehose, X-Ray) with their policies, and the deliveries joining them. Stored and checked as AWS does;
 * no AWS resource in Terrarium emits vended logs yet, so nothing flows through them.
 */
final class Deliveries {
    private static final String SOURCES = "delivery-source";
    private static final String DESTINATIONS = "delivery-destination";
    private static final String DELIVERIES = "delivery";
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LogStore store;

    Deliveries(LogStore store) {
        this.store = store;
    }

    private static AwsException validation(String message) {
        return new AwsException("ValidationException", message, 400);
    }

    private static AwsException notFound(String what) {
        return new AwsException("ResourceNotFoundException", what + " does not exist.");
    }

    private Map<String, Struct> records(Call call, String kind) {
        return store.records(kind, call.account(), call.region());
    }

    private static String arn(Call call, String kind, String name) {
        return "arn:aws:logs:" + call.region() + ":" + call.account() + ":" + kind + ":" + name;
    }

    private static Pagination.Page<Struct> page(List<Struct> items, String key, Struct in) {
        return Pagination.page(items, s -> s.string(key), in.string("nextToken"), in.integer("limit", 50),
                LogsErrors::invalidToken);
    }

    // --- sources

    @AwsOperation("PutDeliverySource")
    public Struct putDeliverySource(Call call, Struct in) {
        String name = in.string("name");
        String resourceArn = in.string("resourceArn");
        String[] parts = resourceArn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn")) {
            throw validation("Invalid resourceArn: " + resourceArn);
        }
        Map<String, Struct> sources = records(call, SOURCES);
        Struct old = sources.get(name);
        if (old != null && !old.strings("resourceArns").contains(resourceArn)) {
            throw new AwsException("ConflictException", "Delivery source " + name + " already exists for another resource.");
        }
        Struct source = Struct.of("name", name, "arn", arn(call, "delivery-source", name), "resourceArns", List.of(resourceArn),
                "service", parts[2], "logType", in.string("logType"), "tags", in.stringMap("tags"),
                "deliverySourceConfiguration", in.map("deliverySourceConfiguration"));
        sources.put(name, source);
        return Struct.of("deliverySource", source);
    }

    @AwsOperation("GetDeliverySource")
    public Struct getDeliverySource(Call call, Struct in) {
        Struct s = records(call, SOURCES).get(in.string("name"));
        if (s == null) {
            throw notFound("Delivery source " + in.string("name"));
        }
        return Struct.of("deliverySource", s);
    }

    @AwsOperation("DescribeDeliverySources")
    public Struct describeDeliverySources(Call call, Struct in) {
        Pagination.Page<Struct> p = page(List.copyOf(records(call, SOURCES).values()), "name", in);
        return Struct.of("deliverySources", p.items(), "nextToken", p.nextToken());
    }

    @AwsOperation("DeleteDeliverySource")
    public Struct deleteDeliverySource(Call call, Struct in) {
        String name = in.string("name");
        if (!records(call, SOURCES).containsKey(name)) {
            throw notFound("Delivery source " + name);
        }
        if (records(call, DELIVERIES).values().stream().anyMatch(d -> name.equals(d.string("deliverySourceName")))) {
            throw new AwsException("ConflictException", "Delivery source " + name + " is used by a delivery.");
        }
        records(call, SOURCES).remove(name);
        return null;
    }

    // --- destinations

    @AwsOperation("PutDeliveryDestination")
    public Struct putDeliveryDestination(Call call, Struct in) {
        String name = in.string("name");
        Struct config = in.struct("deliveryDestinationConfiguration");
        String type = in.string("deliveryDestinationType");
        String target = config == null ? null : config.string("destinationResourceArn");
        if (target == null && !"XRAY".equals(type)) {
            throw validation("deliveryDestinationConfiguration is required for this destination type.");
        }
        if (target != null) {
            String service = target.split(":").length > 2 ? target.split(":")[2] : "";
            String derived = switch (service) {
                case "s3" -> "S3";
                case "logs" -> "CWL";
                case "firehose" -> "FH";
                default -> throw validation("Invalid destinationResourceArn: " + target);
            };
            if (type != null && !type.equals(derived)) {
                throw validation("deliveryDestinationType " + type + " does not match " + target);
            }
            type = derived;
        }
        Map<String, Struct> destinations = records(call, DESTINATIONS);
        Struct old = destinations.get(name);
        Struct d = Struct.of("name", name, "arn", arn(call, "delivery-destination", name), "deliveryDestinationType", type,
                "outputFormat", in.string("outputFormat"), "deliveryDestinationConfiguration", config,
                "tags", in.stringMap("tags"), "policy", old == null ? null : old.string("policy"));
        destinations.put(name, d);
        return Struct.of("deliveryDestination", visible(d));
    }

    /** A destination as AWS shows it (its policy is read through GetDeliveryDestinationPolicy). */
    private static Struct visible(Struct d) {
        Struct v = d.copy();
        v.put("policy", null);
        return v;
    }

    private Struct destination(Call call, String name) {
        Struct d = name == null ? null : records(call, DESTINATIONS).get(name);
        if (d == null) {
            throw notFound("Delivery destination " + name);
        }
        return d;
    }

    @AwsOperation("GetDeliveryDestination")
    public Struct getDeliveryDestination(Call call, Struct in) {
        return Struct.of("deliveryDestination", visible(destination(call, in.string("name"))));
    }

    @AwsOperation("DescribeDeliveryDestinations")
    public Struct describeDeliveryDestinations(Call call, Struct in) {
        Pagination.Page<Struct> p = page(List.copyOf(records(call, DESTINATIONS).values()), "name", in);
        return Struct.of("deliveryDestinations", p.items().stream().map(Deliveries::visible).toList(), "nextToken", p.nextToken());
    }

    @AwsOperation("DeleteDeliveryDestination")
    public Struct deleteDeliveryDestination(Call call, Struct in) {
        Struct d = destination(call, in.string("name"));
        if (records(call, DELIVERIES).values().stream().anyMatch(x -> d.string("arn").equals(x.string("deliveryDestinationArn")))) {
            throw new AwsException("ConflictException", "Delivery destination " + d.string("name") + " is used by a delivery.");
        }
        records(call, DESTINATIONS).remove(d.string("name"));
        return null;
    }

    @AwsOperation("PutDeliveryDestinationPolicy")
    public Struct putDeliveryDestinationPolicy(Call call, Struct in) {
        Struct d = destination(call, in.string("deliveryDestinationName"));
        Policies.document(in.string("deliveryDestinationPolicy"), "delivery destination policy");
        Struct updated = d.copy();
        updated.put("policy", in.string("deliveryDestinationPolicy"));
        records(call, DESTINATIONS).put(d.string("name"), updated);
        return Struct.of("policy", Struct.of("deliveryDestinationPolicy", in.string("deliveryDestinationPolicy")));
    }

    @AwsOperation("GetDeliveryDestinationPolicy")
    public Struct getDeliveryDestinationPolicy(Call call, Struct in) {
        Struct d = destination(call, in.string("deliveryDestinationName"));
        return Struct.of("policy", Struct.of("deliveryDestinationPolicy", d.string("policy")));
    }

    @AwsOperation("DeleteDeliveryDestinationPolicy")
    public Struct deleteDeliveryDestinationPolicy(Call call, Struct in) {
        Struct d = destination(call, in.string("deliveryDestinationName"));
        if (d.string("policy") == null) {
            throw notFound("Policy for delivery destination " + d.string("name"));
        }
        Struct updated = d.copy();
        updated.put("policy", null);
        records(call, DESTINATIONS).put(d.string("name"), updated);
        return null;
    }

    // --- deliveries

    @AwsOperation("CreateDelivery")
    public Struct createDelivery(Call call, Struct in) {
        String sourceName = in.string("deliverySourceName");
        if (!records(call, SOURCES).containsKey(sourceName)) {
            throw notFound("Delivery source " + sourceName);
        }
        String destinationArn = in.string("deliveryDestinationArn");
        Struct destination = records(call, DESTINATIONS).values().stream()
                .filter(d -> d.string("arn").equals(destinationArn)).findFirst().orElse(null);
        if (destination == null) {
            throw notFound("Delivery destination " + destinationArn);
        }
        Map<String, Struct> deliveries = records(call, DELIVERIES);
        synchronized (deliveries) {
            if (deliveries.values().stream().anyMatch(d -> sourceName.equals(d.string("deliverySourceName"))
                    && destinationArn.equals(d.string("deliveryDestinationArn")))) {
                throw new AwsException("ConflictException", "A delivery from " + sourceName + " to " + destinationArn
                        + " already exists.");
            }
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
            }
            Struct s3 = in.struct("s3DeliveryConfiguration");
            if (s3 == null && "S3".equals(destination.string("deliveryDestinationType"))) {
                s3 = Struct.of("suffixPath", "AWSLogs/" + call.account() + "/" + records(call, SOURCES).get(sourceName)
                        .string("service") + "/", "enableHiveCompatiblePath", false);
            }
            Struct d = Struct.of("id", id.toString(), "arn", arn(call, "delivery", id.toString()),
                    "deliverySourceName", sourceName, "deliveryDestinationArn", destinationArn,
                    "deliveryDestinationType", destination.string("deliveryDestinationType"),
                    "recordFields", in.strings("recordFields"), "fieldDelimiter", in.string("fieldDelimiter"),
                    "s3DeliveryConfiguration", s3, "tags", in.stringMap("tags"));
            deliveries.put(id.toString(), d);
            return Struct.of("delivery", d);
        }
    }

    private Struct delivery(Call call, String id) {
        Struct d = id == null ? null : records(call, DELIVERIES).get(id);
        if (d == null) {
            throw notFound("Delivery " + id);
        }
        return d;
    }

    @AwsOperation("GetDelivery")
    public Struct getDelivery(Call call, Struct in) {
        return Struct.of("delivery", delivery(call, in.string("id")));
    }

    @AwsOperation("DescribeDeliveries")
    public Struct describeDeliveries(Call call, Struct in) {
        Pagination.Page<Struct> p = page(List.copyOf(records(call, DELIVERIES).values()), "id", in);
        return Struct.of("deliveries", p.items(), "nextToken", p.nextToken());
    }

    @AwsOperation("UpdateDeliveryConfiguration")
    public Struct updateDeliveryConfiguration(Call call, Struct in) {
        Struct d = delivery(call, in.string("id")).copy();
        if (in.strings("recordFields") != null) {
            d.put("recordFields", in.strings("recordFields"));
        }
        if (in.string("fieldDelimiter") != null) {
            d.put("fieldDelimiter", in.string("fieldDelimiter"));
        }
        if (in.struct("s3DeliveryConfiguration") != null) {
            d.put("s3DeliveryConfiguration", in.struct("s3DeliveryConfiguration"));
        }
        records(call, DELIVERIES).put(d.string("id"), d);
        return Struct.of();
    }

    @AwsOperation("DeleteDelivery")
    public Struct deleteDelivery(Call call, Struct in) {
        records(call, DELIVERIES).remove(delivery(call, in.string("id")).string("id"));
        return null;
    }
}
