package dev.resnetops.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

/**
 * Insists that a state change runs inside a transaction. A transition reads the row under a lock,
 * checks the rules, then writes the row and its history: outside a transaction the lock would end with
 * the read (Agroal's connection is in auto-commit), and the rule would be checked against a row another
 * writer can change before the update lands.
 */
@ApplicationScoped
public class ActiveTransaction {

    private final TransactionManager transactions;

    ActiveTransaction(TransactionManager transactions) {
        this.transactions = transactions;
    }

    /** @param what the change, for the message: "claiming job 1234" */
    public void require(String what) {
        int status;
        try {
            status = transactions.getStatus();
        } catch (SystemException e) {
            throw new IllegalStateException("cannot read the transaction status for " + what, e);
        }
        if (status != Status.STATUS_ACTIVE) {
            throw new IllegalStateException(what + " needs an active transaction (@Transactional or QuarkusTransaction):"
                    + " the row lock, the change and what announces it commit together or not at all");
        }
    }
}
