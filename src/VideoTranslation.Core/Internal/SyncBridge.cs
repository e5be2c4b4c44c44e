using System;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// Runs the async core from the sync methods without deadlocking: the task is started with no
/// SynchronizationContext, so none of its continuations (nor an await inside a user callback that runs before the
/// first real suspension) can be posted to a context the caller is blocking. Together with ConfigureAwait(false)
/// throughout, this makes one loop serve both the sync and the async API.
/// </summary>
internal static class SyncBridge
{
    public static T Run<T>(Func<Task<T>> start)
    {
        var prior = SynchronizationContext.Current;
        Task<T> task;
        try
        {
            SynchronizationContext.SetSynchronizationContext(null);
            task = start();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prior);
        }

        return task.GetAwaiter().GetResult();
    }
}
