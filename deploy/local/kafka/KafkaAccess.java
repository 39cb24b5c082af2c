import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Makes the local broker match deploy/local/kafka/access.conf: the platform's topics, a SCRAM credential per
 * principal (its password from the state folder's secrets) and exactly the listed ACLs of those principals.
 * Run by deploy/local/parts/kafka.sh after every start, with the JDK's single-file launcher on the broker's
 * downloaded classpath:
 *
 * <pre>java -cp 'kafka-libs/*' KafkaAccess.java BOOTSTRAP CLIENT_PROPERTIES ACCESS_CONF SECRETS_DIR PARTITIONS</pre>
 *
 * It logs in as the broker's own principal (SASL/PLAIN, from CLIENT_PROPERTIES): that login exists before any
 * SCRAM credential does, so the same run bootstraps a fresh cluster and one formatted before the broker had
 * authentication. Every step is idempotent; passwords travel in files, never on a command line.
 */
public final class KafkaAccess {

    /** The principals' SCRAM iterations (Kafka's minimum is 4096). */
    private static final int ITERATIONS = 8192;
    private static final long TIMEOUT_SECONDS = 30;

    private record Topic(String name) {
    }

    private record Allow(String principal, List<AclOperation> operations, ResourceType type, String name,
                         PatternType pattern) {
    }

    private final List<Topic> topics = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final List<Allow> allows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: KafkaAccess BOOTSTRAP CLIENT_PROPERTIES ACCESS_CONF SECRETS_DIR PARTITIONS");
            System.exit(2);
        }
        KafkaAccess access = new KafkaAccess();
        access.read(Path.of(args[2]));
        Properties client = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            client.load(in);
        }
        client.put("bootstrap.servers", args[0]);
        client.put("default.api.timeout.ms", String.valueOf(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        try (Admin admin = Admin.create(client)) {
            access.credentials(admin, Path.of(args[3]));
            access.topics(admin, Integer.parseInt(args[4]));
            access.acls(admin);
        }
    }

    private void read(Path file) throws IOException {
        int number = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = file + ":" + number + ": ";
            switch (f[0]) {
                case "topic" -> {
                    require(f.length == 2, where + "expected 'topic NAME', not: " + line);
                    topics.add(new Topic(f[1]));
                }
                case "user" -> {
                    require(f.length == 2, where + "expected 'user PRINCIPAL', not: " + line);
                    users.add(f[1]);
                }
                case "allow" -> {
                    require(f.length == 5, where + "expected 'allow PRINCIPAL OPERATIONS TYPE NAME', not: " + line);
                    require(users.contains(f[1]), where + "principal " + f[1] + " has no 'user' line above");
                    List<AclOperation> operations = new ArrayList<>();
                    for (String op : f[2].split(",")) {
                        AclOperation operation = AclOperation.fromString(op);
                        require(operation != AclOperation.UNKNOWN && operation != AclOperation.ANY,
                                where + "unknown operation " + op + " (READ, WRITE, DESCRIBE, ...)");
                        operations.add(operation);
                    }
                    ResourceType type = switch (f[3]) {
                        case "topic" -> ResourceType.TOPIC;
                        case "group" -> ResourceType.GROUP;
                        case "transactional-id" -> ResourceType.TRANSACTIONAL_ID;
                        default -> throw new IllegalArgumentException(where + "resource type " + f[3]
                                + " is not topic, group or transactional-id");
                    };
                    boolean prefix = f[4].endsWith("*");
                    allows.add(new Allow(f[1], operations, type, prefix ? f[4].substring(0, f[4].length() - 1) : f[4],
                            prefix ? PatternType.PREFIXED : PatternType.LITERAL));
                }
                default -> throw new IllegalArgumentException(where + "a line starts with topic, user or allow, not: "
                        + line);
            }
        }
    }

    /** Sets every principal's SCRAM-SHA-512 credential to the password in its secret file (an upsert). */
    private void credentials(Admin admin, Path secrets) throws Exception {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        for (String user : users) {
            Path file = secrets.resolve("kafka-" + user);
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            require(!password.isEmpty(), file + " is empty: delete it and run ./mlops up again to make a new password");
            upserts.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password));
        }
        admin.alterUserScramCredentials(upserts).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("kafka: SCRAM credentials set for " + String.join(", ", users));
    }

    /**
     * Creates the missing topics. The admin does it at up, not each service at its start: no service principal
     * has CREATE, so none can make a topic (by name or by auto-creation) the platform does not know.
     */
    private void topics(Admin admin, int partitions) throws Exception {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                .map(t -> new NewTopic(t.name(), partitions, (short) 1)).toList();
        for (var created : admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        if (!missing.isEmpty()) {
            System.out.println("kafka: created topics " + missing.stream().map(NewTopic::name).toList() + " ("
                    + partitions + " partitions)");
        }
    }

    /** Adds the listed ACLs that are missing and removes those of the listed principals that are not listed. */
    private void acls(Admin admin) throws Exception {
        Set<AclBinding> wanted = new LinkedHashSet<>();
        for (Allow allow : allows) {
            for (AclOperation operation : allow.operations()) {
                wanted.add(new AclBinding(new ResourcePattern(allow.type(), allow.name(), allow.pattern()),
                        new AccessControlEntry("User:" + allow.principal(), "*", operation, AclPermissionType.ALLOW)));
            }
        }
        Collection<AclBinding> present = admin.describeAcls(AclBindingFilter.ANY).values()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Set<String> managed = new HashSet<>();
        users.forEach(u -> managed.add("User:" + u));
        List<AclBindingFilter> stale = present.stream()
                .filter(b -> managed.contains(b.entry().principal()) && !wanted.contains(b))
                .map(AclBinding::toFilter).toList();
        List<AclBinding> missing = wanted.stream().filter(b -> !present.contains(b)).toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        System.out.println(String.format(Locale.ROOT, "kafka: ACLs of %d principals: %d in place, %d added, %d removed",
                managed.size(), wanted.size(), missing.size(), stale.size()));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
