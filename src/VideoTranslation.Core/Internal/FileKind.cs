using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace VideoTranslation.Internal;

/// <summary>
/// What a path names, told without opening it: on Unix opening a FIFO blocks until a writer comes, and a device
/// reads without end, so a file the module reads or replaces is checked to be a regular one first.
/// </summary>
/// <remarks>
/// .NET has no public API for the file type (a FIFO and a device report <see cref="FileAttributes.Normal"/>), so on
/// Unix this asks the runtime's own native shim, libSystem.Native (present in every .NET on Unix), for the lstat/stat
/// mode, whose type bits the shim gives in its own fixed encoding. Where that is not available (Windows, .NET
/// Framework) the answer is "regular" for anything that is not a folder, and the callers' capped reads still hold.
/// </remarks>
internal static class FileKind
{
    // libSystem.Native's FileStatus: int Flags, int Mode, then more fields; a generous buffer takes any later growth.
    private const int StatusBufferBytes = 512;
    private const int ModeOffset = 4;
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000, CharDevice = 0x2000, Folder = 0x4000, BlockDevice = 0x6000, Regular = 0x8000, Socket = 0xC000;

    private static bool s_nativeMissing;

    /// <summary>
    /// Why <paramref name="path"/> is not a file to read or replace ("a named pipe (FIFO)", "a folder", …), or
    /// <see langword="null"/> when it is a regular file, does not exist, or the type cannot be told.
    /// </summary>
    public static string? NotRegular(string path)
    {
        if (Directory.Exists(path))
        {
            return "a folder";
        }

        int? mode = StatMode(path);
        return (mode & TypeMask) switch
        {
            null or Regular => null,
            Fifo => "a named pipe (FIFO)",
            CharDevice => "a character device",
            BlockDevice => "a block device",
            Folder => "a folder",
            Socket => "a socket",
            _ => "not a regular file",
        };
    }

    /// <summary>The file's mode in libSystem.Native's encoding (following links), or <see langword="null"/> when unknown or missing.</summary>
    private static int? StatMode(string path)
    {
        if (s_nativeMissing || RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        byte[] status = new byte[StatusBufferBytes];
        try
        {
            return NativeMethods.SystemNative_Stat(name, status) == 0 ? BitConverter.ToInt32(status, ModeOffset) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_nativeMissing = true; // Mono or another runtime without the shim: the capped read is the guard there
            return null;
        }
    }

    private static class NativeMethods
    {
        // The runtime resolves "libSystem.Native" itself (it is part of the shared framework, not a file of ours).
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int SystemNative_Stat(byte[] path, byte[] output);
    }
}
