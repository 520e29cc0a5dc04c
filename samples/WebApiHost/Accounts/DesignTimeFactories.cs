using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WebApiHost.Accounts;

// `dotnet ef migrations add NAME --context SqliteAccountsDbContext --output-dir Accounts/Migrations/Sqlite` (and the
// same for PostgresAccountsDbContext) build the contexts from these, without starting the host or a database. Identity
// reads its schema version (3: passkeys) from the application's IdentityOptions, so they hand over the host's.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAccountsDbContext>
{
    public SqliteAccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAccountsDbContext>().UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(DesignTime.IdentityServices()).Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAccountsDbContext>
{
    public PostgresAccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAccountsDbContext>().UseNpgsql("Host=design-time")
            .UseApplicationServiceProvider(DesignTime.IdentityServices()).Options);
}

internal static class DesignTime
{
    public static IServiceProvider IdentityServices() =>
        new ServiceCollection().Configure<IdentityOptions>(AccountsExtensions.ConfigureIdentity).BuildServiceProvider();
}
