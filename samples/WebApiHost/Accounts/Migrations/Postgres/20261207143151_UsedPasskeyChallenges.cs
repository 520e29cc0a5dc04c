using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApiHost.Accounts.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsedPasskeyChallenges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsedPasskeyChallenges",
                columns: table => new
                {
                    Challenge = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedPasskeyChallenges", x => x.Challenge);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsedPasskeyChallenges_ExpiresAtUtc",
                table: "UsedPasskeyChallenges",
                column: "ExpiresAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsedPasskeyChallenges");
        }
    }
}
