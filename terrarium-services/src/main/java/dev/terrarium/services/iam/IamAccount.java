package dev.terrarium.services.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** All IAM state of one account. Callers hold the account's monitor while reading or changing it. */
final class IamAccount {
    final String id;
    final Map<String, Principals.User> users = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, Principals.Group> groups = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, Principals.Role> roles = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, Principals.ManagedPolicy> policies = new TreeMap<>();
    final Map<String, Principals.InstanceProfile> instanceProfiles = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, Principals.AccessKey> accessKeys = new LinkedHashMap<>();
    final Map<String, Principals.MfaDevice> mfaDevices = new TreeMap<>();
    final Map<String, Principals.ServerCertificate> serverCertificates = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, Principals.OidcProvider> oidcProviders = new TreeMap<>();
    final Map<String, Principals.SamlProvider> samlProviders = new TreeMap<>();
    final List<String> aliases = new ArrayList<>();
    Map<String, Object> passwordPolicy;
    java.time.Instant credentialReportAt;
    OutboundFederation outboundFederation;
    /** RootCredentialsManagement / RootSessions, on the organization's management account */
    final java.util.Set<String> organizationFeatures = new java.util.TreeSet<>();
    final Map<String, Principals.SigningCertificate> signingCertificates = new LinkedHashMap<>();
    final Map<String, Principals.SshPublicKey> sshPublicKeys = new LinkedHashMap<>();
    final Map<String, Principals.ServiceCredential> serviceCredentials = new LinkedHashMap<>();
    /** entity ARN (user or role) -> service namespace -> last access */
    final Map<String, Map<String, Principals.LastAccess>> lastAccess = new java.util.HashMap<>();
    /** tags of records that carry none of their own (server certificates), by ARN */
    final Map<String, Map<String, String>> resourceTags = new java.util.HashMap<>();
    final Map<String, AccessAdvisor.Job> accessAdvisorJobs = new LinkedHashMap<>();
    final Map<String, OrganizationsAccessReport> organizationsAccessReports = new LinkedHashMap<>();

    IamAccount(String id) {
        this.id = id;
    }

    String arn(String type, String path, String name) {
        return "arn:aws:iam::" + id + ":" + type + "/" + (path == null || path.equals("/") ? "" : path.substring(1)) + name;
    }
}
