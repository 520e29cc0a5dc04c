namespace Twilio.ChatRooms.Aspire.Hosting.Tests;

/// <summary>Where this build's <c>conversations-emulator</c> is: beside this test assembly's build (same configuration).</summary>
internal static class EmulatorTool
{
    public static string AssemblyPath
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory); // .../tests/<this>/bin/<Configuration>/net10.0/
            var configuration = bin.Parent!.Name;
            var root = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "Twilio.ChatRooms.Emulator.Tool", "bin", configuration, "net10.0", "conversations-emulator.dll");
        }
    }
}
