package dev.resnetops.vision.weights;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the pickle inside a PyTorch checkpoint without Python and without running it.
 *
 * <p>A pickle is a program: its GLOBAL and REDUCE opcodes import and call any Python function, which
 * is how a malicious checkpoint runs code on the machine that loads it. This reader interprets the
 * opcodes a {@code torch.save}d state dict uses (protocol 2 to 5) and knows only the handful of
 * globals such a state dict names: {@code collections.OrderedDict}, torch's tensor-rebuilding
 * functions and its storage classes. Any other global is refused by name before anything is built,
 * and nothing is ever called: the "calls" it accepts are interpreted here (a dict, a tensor view).
 */
final class RestrictedUnpickler {

    /** A storage named by the pickle and resolved by the caller (a zip entry, a legacy record). */
    record StorageRef(String key, TensorDtype dtype, long numel) {}

    /** A tensor as the pickle describes it: a strided view of a storage. */
    record TensorView(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** A Python tuple (kept apart from lists only so that errors can say which one was found). */
    record Tuple(List<Object> items) {}

    /** A global the reader accepts; the only things a REDUCE may "call". */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    static final Set<String> ALLOWED_CALLABLES = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter");

    private static final Object MARK = new Object();
    private static final int MAX_STACK = 1 << 20;

    private final ByteBuffer in;
    private final String source;
    private final Function<Tuple, Object> persistentLoad;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * @param pickle positioned at the first opcode; it is advanced past STOP, so a legacy file's
     *     pickles can be read one after the other
     * @param persistentLoad resolves a persistent id (torch's {@code ('storage', type, key, ...)})
     */
    RestrictedUnpickler(ByteBuffer pickle, String source, Function<Tuple, Object> persistentLoad) {
        this.in = pickle.order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
        this.persistentLoad = persistentLoad;
    }

    Object load() {
        try {
            while (true) {
                int op = in.get() & 0xFF;
                if (op == '.') {
                    return pop();
                }
                step(op);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw refuse("the pickle ends before its STOP opcode (truncated file?)");
        } catch (IndexOutOfBoundsException e) {
            throw refuse("the pickle refers past its own data (damaged file?)");
        }
    }

    private void step(int op) {
        switch (op) {
            case 0x80 -> in.get(); // PROTO n
            case 0x95 -> in.getLong(); // FRAME length: framing only groups the opcodes that follow
            case '(' -> { marks.add(stack.size()); stack.add(MARK); }
            case ')' -> push(new Tuple(List.of()));
            case 't' -> push(new Tuple(popMark()));
            case 0x85 -> push(new Tuple(List.of(pop())));
            case 0x86 -> { Object b = pop(); push(new Tuple(List.of(pop(), b))); }
            case 0x87 -> { Object c = pop(); Object b = pop(); push(new Tuple(List.of(pop(), b, c))); }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> push(dictOf(popMark()));
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push((long) (in.get() & 0xFF));
            case 'M' -> push((long) (in.getShort() & 0xFFFF));
            case 'J' -> push((long) in.getInt());
            case 0x8a -> push(long1(in.get() & 0xFF));
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
            case 'X' -> push(text(in.getInt()));
            case 0x8c -> push(text(in.get() & 0xFF));
            case 'T' -> push(text(in.getInt())); // BINSTRING (Python 2 str)
            case 'U' -> push(text(in.get() & 0xFF));
            case 'B' -> push(bytes(in.getInt()));
            case 'C' -> push(bytes(in.get() & 0xFF));
            case 'q' -> memo.put((long) (in.get() & 0xFF), top());
            case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, top());
            case 0x94 -> memo.put((long) memo.size(), top());
            case 'h' -> push(memoGet(in.get() & 0xFF));
            case 'j' -> push(memoGet(in.getInt() & 0xFFFFFFFFL));
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(top());
            case 'c' -> push(global(line(), line()));
            case 0x93 -> { Object name = pop(); push(global(string(pop(), "module"), string(name, "name"))); }
            case 'Q' -> push(persistentLoad.apply(tuple(pop(), "persistent id")));
            case 'R' -> { Tuple args = tuple(pop(), "arguments"); push(call(pop(), args)); }
            case 'b' -> build(pop(), top());
            case 's' -> { Object value = pop(); Object key = pop(); map(top()).put(key, value); }
            case 'u' -> { List<Object> items = popMark(); putAll(map(top()), items); }
            case 'a' -> { Object value = pop(); list(top()).add(value); }
            case 'e' -> { List<Object> items = popMark(); list(top()).addAll(items); }
            default -> throw refuse(String.format("the pickle uses opcode 0x%02x, which a state dict of tensors "
                    + "never needs (only dicts, lists, tuples, numbers, strings and tensors are read)", op));
        }
        if (stack.size() > MAX_STACK) {
            throw refuse("the pickle nests deeper than " + MAX_STACK + " values");
        }
    }

    private Object global(String module, String name) {
        String qualified = module + "." + name;
        if (ALLOWED_CALLABLES.contains(qualified)) {
            return new Global(module, name);
        }
        if (module.equals("torch") && TensorDtype.fromTorchStorage(name).isPresent()) {
            return new Global(module, name);
        }
        throw refuse("the pickle asks for '" + qualified + "', which is not part of a state dict of tensors; "
                + "refusing to build it (only collections.OrderedDict, torch._utils._rebuild_tensor[_v2], "
                + "torch._utils._rebuild_parameter and torch.<Type>Storage are accepted). Loading this file "
                + "with Python's pickle could run code: do not trust its source");
    }

    private Object call(Object callable, Tuple args) {
        if (!(callable instanceof Global global) || !ALLOWED_CALLABLES.contains(global.qualified())) {
            throw refuse("the pickle calls " + describe(callable) + ", which is not a dict or tensor constructor");
        }
        List<Object> a = args.items();
        return switch (global.qualified()) {
            case "collections.OrderedDict" -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                if (!a.isEmpty()) {
                    throw refuse("collections.OrderedDict is built with arguments " + a + "; a state dict never is");
                }
                yield dict;
            }
            case "torch._utils._rebuild_parameter" -> {
                requireArity(global, a, 3, 3);
                if (!(a.get(0) instanceof TensorView)) {
                    throw refuse("a parameter wraps " + describe(a.get(0)) + " instead of a tensor");
                }
                yield a.get(0);
            }
            default -> { // _rebuild_tensor(storage, offset, size, stride[, requires_grad, hooks[, metadata]])
                requireArity(global, a, 4, 7);
                if (!(a.get(0) instanceof StorageRef storage)) {
                    throw refuse(global.qualified() + " is given " + describe(a.get(0)) + " instead of a storage");
                }
                yield new TensorView(storage, number(a.get(1), "storage offset"), longs(a.get(2), "size"),
                        longs(a.get(3), "stride"));
            }
        };
    }

    /** BUILD sets attributes; on a state dict that is only {@code _metadata} (module versions), which we ignore. */
    private void build(Object state, Object target) {
        if (!(target instanceof Map)) {
            throw refuse("the pickle sets the state of " + describe(target) + "; only a state dict's is accepted");
        }
    }

    private void requireArity(Global global, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw refuse(global.qualified() + " is called with " + args.size() + " arguments, expected "
                    + (min == max ? min : min + "-" + max));
        }
    }

    private long[] longs(Object value, String what) {
        List<Object> items = tuple(value, what).items();
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(items.get(i), what);
        }
        return out;
    }

    private long number(Object value, String what) {
        if (value instanceof Long n) {
            return n;
        }
        throw refuse("the tensor's " + what + " is " + describe(value) + ", not an integer");
    }

    private Tuple tuple(Object value, String what) {
        if (value instanceof Tuple t) {
            return t;
        }
        throw refuse("expected a tuple for the " + what + ", found " + describe(value));
    }

    private String string(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        throw refuse("STACK_GLOBAL expects the " + what + " as a string, found " + describe(value));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw refuse("the pickle sets an item on " + describe(value) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw refuse("the pickle appends to " + describe(value) + ", not a list");
    }

    private Map<Object, Object> dictOf(List<Object> items) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        putAll(dict, items);
        return dict;
    }

    private void putAll(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw refuse("a dict is given an odd number of keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    private Object long1(int length) {
        byte[] le = bytes(length);
        byte[] be = new byte[Math.max(1, length)];
        for (int i = 0; i < length; i++) {
            be[length - 1 - i] = le[i];
        }
        BigInteger value = length == 0 ? BigInteger.ZERO : new BigInteger(be);
        // only torch's legacy magic number needs more than 64 bits
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String text(int length) {
        return new String(bytes(length), StandardCharsets.UTF_8);
    }

    private byte[] bytes(int length) {
        if (length < 0 || length > in.remaining()) {
            throw refuse("the pickle declares a string of " + length + " bytes but only " + in.remaining() + " remain");
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private String line() {
        StringBuilder out = new StringBuilder();
        for (byte b; (b = in.get()) != '\n'; ) {
            out.append((char) (b & 0xFF));
            if (out.length() > 256) {
                throw refuse("the pickle names a global longer than 256 characters");
            }
        }
        return out.toString();
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw refuse("the pickle refers to memo entry " + index + ", which it never stored");
        }
        return memo.get(index);
    }

    private void push(Object value) {
        stack.add(value);
    }

    private Object top() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw refuse("the pickle reads a value from an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() {
        Object value = top();
        stack.remove(stack.size() - 1);
        return value;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw refuse("the pickle closes a group it never opened");
        }
        int start = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(start + 1, stack.size()));
        stack.subList(start, stack.size()).clear();
        return items;
    }

    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Global g) {
            return g.qualified();
        }
        if (value instanceof TensorView) {
            return "a tensor";
        }
        if (value instanceof Tuple) {
            return "a tuple";
        }
        if (value instanceof Map) {
            return "a dict";
        }
        if (value instanceof List) {
            return "a list";
        }
        return value.getClass().getSimpleName().toLowerCase() + " " + value;
    }

    private WeightsFileException refuse(String problem) {
        return new WeightsFileException(source + ": " + problem);
    }
}
