import { frenchSpacing } from './format';

interface LiveMessagesProps {
  /** French error, shown in an alert. */
  error: string | null;
  /** French confirmation, shown in a status. */
  status: string | null;
  onDismissError?: () => void;
}

/**
 * An alert and a status region that stay in the page even when empty: screen readers only
 * announce changes to live regions that already existed.
 */
export function LiveMessages({ error, status, onDismissError }: LiveMessagesProps) {
  return (
    <div className="messages">
      <div role="alert" className={error ? 'alert' : 'alert alert-empty'}>
        {error ? (
          <>
            <span>{frenchSpacing(error)}</span>
            {onDismissError ? (
              <button type="button" className="button-quiet" onClick={onDismissError}>
                Masquer
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      <div role="status" className={status ? 'status' : 'status status-empty'}>
        {status === null ? null : frenchSpacing(status)}
      </div>
    </div>
  );
}
