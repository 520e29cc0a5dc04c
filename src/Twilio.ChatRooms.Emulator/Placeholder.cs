namespace Twilio.ChatRooms.Emulator;
