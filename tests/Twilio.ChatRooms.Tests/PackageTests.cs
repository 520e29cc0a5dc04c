using System.Diagnostics;
using System.IO.Compression;

namespace Twilio.ChatRooms.Tests;

/// <summary>Packs the library and uses the package from a throwaway consumer, as a user would.</summary>
public sealed class PackageTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Twilio.ChatRooms.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Twilio.ChatRooms.sln not found above the test binaries.");
    }

    private static async Task<string> Dotnet(string workingDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var all = await output + await error;
        process.ExitCode.Should().Be(0, $"dotnet {string.Join(' ', arguments)} failed:\n{all}");
        return all;
    }

    [Fact]
    public async Task Pack_Library_ProducesUsablePackageWithReadmeDocsAndSymbols()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("chatrooms-pack-").FullName;
        var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var feed = Path.Combine(work, "feed");
            await Dotnet(root, ct, "pack", "src/Twilio.ChatRooms", "-c", "Release", "-o", feed,
                "--artifacts-path", Path.Combine(work, "artifacts"), $"-p:Version={version}");

            var package = Path.Combine(feed, $"Twilio.ChatRooms.{version}.nupkg");
            File.Exists(package).Should().BeTrue();
            File.Exists(Path.Combine(feed, $"Twilio.ChatRooms.{version}.snupkg")).Should().BeTrue();
            using (var zip = ZipFile.OpenRead(package))
            {
                zip.Entries.Select(e => e.FullName).Should().Contain(
                    ["README.md", "lib/net10.0/Twilio.ChatRooms.dll", "lib/net10.0/Twilio.ChatRooms.xml", "Twilio.ChatRooms.nuspec"]);
                using var nuspec = new StreamReader(zip.GetEntry("Twilio.ChatRooms.nuspec")!.Open());
                var text = await nuspec.ReadToEndAsync(ct);
                text.Should().Contain("<readme>README.md</readme>").And.Contain("<dependency id=\"Twilio\"");
            }

            var consumer = Path.Combine(work, "consumer");
            Directory.CreateDirectory(consumer);
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NoWarn>NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Twilio.ChatRooms" Version="{version}" />
                    <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.12" />
                  </ItemGroup>
                </Project>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), """
                using Microsoft.Extensions.DependencyInjection;
                using Twilio.ChatRooms;

                var services = new ServiceCollection();
                services.AddTwilioChatRooms(o =>
                {
                    o.AccountSid = "AC0123456789abcdef0123456789abcdef";
                    o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
                    o.ApiKeySecret = "0123456789abcdef0123456789abcdef";
                    o.ServiceSid = "IS0123456789abcdef0123456789abcdef";
                });
                await using var provider = services.BuildServiceProvider();
                var token = await provider.GetRequiredService<ITokenIssuer>().IssueAsync("consumer");
                Console.WriteLine($"issued for {token.Identity}");
                """, ct);

            var output = await Dotnet(consumer, ct, "run", "-c", "Release");

            output.Should().Contain("issued for consumer");
        }
        finally
        {
            // The consumer's restore copied this throwaway version into the global packages folder too.
            var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var directory in new[] { work, Path.Combine(globalPackages, "twilio.chatrooms", version) })
            {
                try
                {
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                }
                catch (IOException)
                {
                    // A build server may still hold a file; temporary folders are cleaned up eventually.
                }
            }
        }
    }
}
