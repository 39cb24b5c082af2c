package dev.resnetops.systemtests;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.systemtests.FashionMnistImages.TestImage;
import dev.resnetops.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's client of the image stream: sends Fashion-MNIST PNGs to {@link Topics#IMAGES}, each with a
 * fresh request id as key and header, and remembers where each one landed. Idempotent and retrying for
 * minutes, so a broker restart delays its images but neither loses nor duplicates one.
 */
final class ImageSender implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofMinutes(3);

    /** An image the broker acknowledged: which pool image, under which request id, at which partition and offset. */
    record Sent(String requestId, TestImage image, int partition, long offset) {}

    private final KafkaProducer<String, byte[]> producer;

    ImageSender(String bootstrapServers) {
        Properties p = TestKafka.admin(bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT.toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    /** Sends every image at once and waits for the acknowledgements. */
    List<Sent> sendAll(List<TestImage> images) {
        List<Pending> pending = new ArrayList<>();
        for (TestImage image : images) {
            pending.add(send(image));
        }
        return acknowledged(pending);
    }

    /** Any record, e.g. a malformed one; waits for its acknowledgement. */
    RecordMetadata sendRaw(ProducerRecord<String, byte[]> record) {
        return await(producer.send(record));
    }

    /**
     * Sends the pool's images round and round, {@code perSecond} of them a second, each with a new request
     * id, until {@link Stream#stop()}: a steady stream for the test to disturb.
     */
    Stream stream(List<TestImage> pool, int perSecond) {
        return new Stream(pool, perSecond);
    }

    /** A background sender; see {@link #stream}. */
    final class Stream {

        private final List<Pending> pending = new ArrayList<>();
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stopping;
        private volatile RuntimeException failure;

        private Stream(List<TestImage> pool, int perSecond) {
            long interval = 1_000_000_000L / perSecond;
            thread = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    for (int i = 0; !stopping; i++) {
                        long wait = start + i * interval - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        Pending next = send(pool.get(i % pool.size()));
                        synchronized (pending) {
                            pending.add(next);
                        }
                        sent.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }, "image-sender");
            thread.setDaemon(true);
            thread.start();
        }

        /** Images handed to the producer so far (not necessarily acknowledged yet). */
        int sent() {
            return sent.get();
        }

        /** Stops sending and returns every image sent, once the broker acknowledged all of them. */
        List<Sent> stop() throws InterruptedException {
            stopping = true;
            thread.join(ACK_TIMEOUT.toMillis());
            if (failure != null) {
                throw new IllegalStateException("the image sender failed after " + sent() + " images", failure);
            }
            synchronized (pending) {
                return acknowledged(pending);
            }
        }
    }

    private record Pending(String requestId, TestImage image, Future<RecordMetadata> ack) {}

    private Pending send(TestImage image) {
        String requestId = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.IMAGES, requestId, image.png());
        record.headers().add(ImageHeaders.REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ImageHeaders.CONTENT_TYPE, "image/png".getBytes(StandardCharsets.UTF_8));
        return new Pending(requestId, image, producer.send(record));
    }

    private static List<Sent> acknowledged(List<Pending> pending) {
        List<Sent> sent = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            RecordMetadata m = await(p.ack());
            sent.add(new Sent(p.requestId(), p.image(), m.partition(), m.offset()));
        }
        return sent;
    }

    private static RecordMetadata await(Future<RecordMetadata> ack) {
        try {
            return ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker's acknowledgement", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("an image was not acknowledged within " + ACK_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
