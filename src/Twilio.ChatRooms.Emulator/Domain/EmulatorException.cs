namespace Twilio.ChatRooms.Emulator.Domain;

/// <summary>A Twilio-style error: HTTP status and Twilio error code.</summary>
internal sealed class EmulatorException : Exception
{
    public EmulatorException(int status, int code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    public EmulatorException()
    {
    }

    public EmulatorException(string message) : base(message)
    {
    }

    public EmulatorException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public int Status { get; } = 500;

    public int Code { get; } = 20500;

    public static EmulatorException NotFound(string what) => new(404, 20404, $"The requested resource {what} was not found");

    public static EmulatorException BadRequest(int code, string message) => new(400, code, message);

    public static EmulatorException Conflict(int code, string message) => new(409, code, message);
}
