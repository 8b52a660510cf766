package dev.terrarium.services.lambda;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Code signing configurations and which functions use them. Stored and reported as Lambda does; Terrarium
 * does not verify signatures of deployment packages (there is no AWS Signer to have signed them).
 */
final class CodeSigningConfigs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Config {
        final String id;
        final String arn;
        volatile String description = "";
        volatile List<String> signingProfileVersionArns;
        volatile String untrustedArtifactOnDeployment = "Warn";
        volatile String lastModified;
        final Tags tags = new Tags();

        Config(String id, String arn) {
            this.id = id;
            this.arn = arn;
        }

        Struct describe() {
            return Struct.of("CodeSigningConfigId", id, "CodeSigningConfigArn", arn, "Description", description,
                    "AllowedPublishers", Struct.of("SigningProfileVersionArns", signingProfileVersionArns),
                    "CodeSigningPolicies", Struct.of("UntrustedArtifactOnDeployment", untrustedArtifactOnDeployment),
                    "LastModified", lastModified);
        }
    }

    private final Clock clock;
    private final Functions functions;
    /** By account/region, then by ARN. */
    private final Map<String, ConcurrentSkipListMap<String, Config>> byScope = new ConcurrentHashMap<>();

    CodeSigningConfigs(Clock clock, Functions functions) {
        this.clock = clock;
        this.functions = functions;
    }

    void reset() {
        byScope.clear();
    }

    private ConcurrentSkipListMap<String, Config> in(Call call) {
        return byScope.computeIfAbsent(call.account() + "/" + call.region(), k -> new ConcurrentSkipListMap<>());
    }

    private Config require(Call call, String arn) {
        Config c = arn == null ? null : in(call).get(arn);
        if (c == null) {
            throw LambdaErrors.notFound("The Lambda code signing configuration " + arn + " can not be found.");
        }
        return c;
    }

    private void apply(Config c, Struct in) {
        if (in.has("Description")) {
            c.description = in.string("Description");
        }
        Struct publishers = in.struct("AllowedPublishers");
        if (publishers != null) {
            c.signingProfileVersionArns = List.copyOf(publishers.strings("SigningProfileVersionArns"));
        }
        Struct policies = in.struct("CodeSigningPolicies");
        if (policies != null && policies.string("UntrustedArtifactOnDeployment") != null) {
            c.untrustedArtifactOnDeployment = policies.string("UntrustedArtifactOnDeployment");
        }
        c.lastModified = FunctionSettings.TIMESTAMP.format(clock.now());
    }

    @AwsOperation("CreateCodeSigningConfig")
    public Struct createCodeSigningConfig(Call call, Struct in) {
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        String cscId = "csc-" + HexFormat.of().formatHex(id).substring(0, 17);
        Config c = new Config(cscId, "arn:aws:lambda:" + call.region() + ":" + call.account() + ":code-signing-config:" + cscId);
        apply(c, in);
        if (in.stringMap("Tags") != null) {
            c.tags.put(in.stringMap("Tags"), "InvalidParameterValueException");
        }
        in(call).put(c.arn, c);
        return Struct.of("CodeSigningConfig", c.describe());
    }

    @AwsOperation("GetCodeSigningConfig")
    public Struct getCodeSigningConfig(Call call, Struct in) {
        return Struct.of("CodeSigningConfig", require(call, in.string("CodeSigningConfigArn")).describe());
    }

    @AwsOperation("UpdateCodeSigningConfig")
    public Struct updateCodeSigningConfig(Call call, Struct in) {
        Config c = require(call, in.string("CodeSigningConfigArn"));
        synchronized (c) {
            apply(c, in);
        }
        return Struct.of("CodeSigningConfig", c.describe());
    }

    @AwsOperation("DeleteCodeSigningConfig")
    public Struct deleteCodeSigningConfig(Call call, Struct in) {
        Config c = require(call, in.string("CodeSigningConfigArn"));
        List<String> users = users(call, c.arn);
        if (!users.isEmpty()) {
            throw LambdaErrors.conflict("The code signing configuration cannot be deleted because it is used by the "
                    + "following functions: " + users);
        }
        in(call).remove(c.arn);
        return null;
    }

    @AwsOperation("ListCodeSigningConfigs")
    public Struct listCodeSigningConfigs(Call call, Struct in) {
        List<Config> all = new ArrayList<>(in(call).values());
        Pagination.Page<Config> page = Pagination.page(all, c -> c.arn, in.string("Marker"), in.integer("MaxItems", 50),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("CodeSigningConfigs", page.items().stream().map(Config::describe).toList(), "NextMarker", page.nextToken());
    }

    @AwsOperation("ListFunctionsByCodeSigningConfig")
    public Struct listFunctionsByCodeSigningConfig(Call call, Struct in) {
        Config c = require(call, in.string("CodeSigningConfigArn"));
        Pagination.Page<String> page = Pagination.page(users(call, c.arn), s -> s, in.string("Marker"), in.integer("MaxItems", 50),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("FunctionArns", page.items(), "NextMarker", page.nextToken());
    }

    private List<String> users(Call call, String arn) {
        return functions.in(call.account(), call.region()).values().stream()
                .filter(f -> arn.equals(f.codeSigningConfigArn)).map(f -> f.arn).toList();
    }

    private LambdaFunction function(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), null);
        return functions.require(call.account(), call.region(), new FunctionNames(names.name(), null));
    }

    /** A CodeSigningConfigArn given to CreateFunction or PutFunctionCodeSigningConfig: it must exist (null passes). */
    String checked(Call call, String arn) {
        if (arn != null && in(call).get(arn) == null) {
            throw new AwsException("CodeSigningConfigNotFoundException", "The code signing configuration cannot be found. "
                    + "Check that the provided configuration is not deleted: " + arn + ".").withFields(Struct.of("Type", "User"));
        }
        return arn;
    }

    @AwsOperation("PutFunctionCodeSigningConfig")
    public Struct putFunctionCodeSigningConfig(Call call, Struct in) {
        String arn = checked(call, in.string("CodeSigningConfigArn"));
        LambdaFunction f = function(call, in);
        f.codeSigningConfigArn = arn;
        return Struct.of("CodeSigningConfigArn", arn, "FunctionName", f.name);
    }

    @AwsOperation("GetFunctionCodeSigningConfig")
    public Struct getFunctionCodeSigningConfig(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        String arn = f.codeSigningConfigArn;
        return arn == null ? Struct.empty() : Struct.of("CodeSigningConfigArn", arn, "FunctionName", f.name);
    }

    @AwsOperation("DeleteFunctionCodeSigningConfig")
    public Struct deleteFunctionCodeSigningConfig(Call call, Struct in) {
        function(call, in).codeSigningConfigArn = null;
        return null;
    }
}
