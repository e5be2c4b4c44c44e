using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>Reads at most a given number of bytes of a response body, so a hostile server cannot flood the client.</summary>
internal readonly struct ResponseBody
{
    private ResponseBody(byte[] buffer, int length, bool exceeded)
    {
        Buffer = buffer;
        Length = length;
        Exceeded = exceeded;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    /// <summary>The body was longer than the limit; only the first <see cref="Length"/> bytes were read.</summary>
    public bool Exceeded { get; }

    /// <summary>A body already in memory, whole.</summary>
    /// <summary>The same buffer, shortened (after <see cref="SecretMask"/> masked it in place).</summary>
    public ResponseBody WithLength(int length) => new(Buffer, length, Exceeded);

    public static ResponseBody Of(byte[] bytes) => new(bytes, bytes.Length, exceeded: false);

    /// <param name="content">The body.</param>
    /// <param name="limit">The most bytes read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="prefix">Read the first <paramref name="limit"/> bytes even of a body declared longer (an error body's
    /// excerpt); else such a body is not read at all.</param>
    public static async Task<ResponseBody> ReadAsync(HttpContent? content, int limit, CancellationToken cancellationToken, bool prefix = false)
    {
        if (content is null)
        {
            return new ResponseBody([], 0, exceeded: false);
        }

        long? declared = content.Headers.ContentLength;
        if (declared > limit && !prefix)
        {
            return new ResponseBody([], 0, exceeded: true);
        }

        // One byte past the limit tells "exactly at the limit" from "over it".
        var buffer = new byte[(int)Math.Min(limit + 1L, (declared ?? 4096) + 1)];
        int length = 0;
        using Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    return new ResponseBody(buffer, limit, exceeded: true);
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1L, buffer.Length * 2L));
            }

            int read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new ResponseBody(buffer, length, exceeded: false);
            }

            length += read;
        }
    }
}
