using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Users;

/// <summary>
/// Checks a password against a pool's <see cref="PasswordPolicyType"/> the way Cognito does
/// (reference §8.1): at most 256 characters, no leading/trailing whitespace, then length, uppercase,
/// lowercase, digit and symbol rules, reporting the first failing rule as
/// <c>InvalidPasswordException</c>.
/// </summary>
public static class PasswordPolicyValidator
{
    /// <summary>Cognito's symbol set (the space also counts).</summary>
    public const string Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

    /// <summary>Message prefix used by SignUp.</summary>
    public const string SignUpPrefix = "Password did not conform with policy: ";
    /// <summary>Message prefix used by ChangePassword, ConfirmForgotPassword, admin set and NEW_PASSWORD_REQUIRED.</summary>
    public const string ChangePrefix = "Password does not conform to policy: ";

    /// <summary>Throws <c>InvalidPasswordException</c> when <paramref name="password"/> breaks <paramref name="policy"/>.</summary>
    /// <exception cref="CognitoException">InvalidPasswordException.</exception>
    public static void Validate(PasswordPolicyType? policy, string password, string prefix = ChangePrefix)
    {
        var failure = Check(policy, password);
        if (failure is not null) throw CognitoErrors.InvalidPassword(prefix + failure);
    }

    /// <summary>The first failing rule's text, or null when the password conforms.</summary>
    public static string? Check(PasswordPolicyType? policy, string password)
    {
        if (password.Length > 256) return "Password must have length less than or equal to 256";
        if (password.Length > 0 && (char.IsWhiteSpace(password[0]) || char.IsWhiteSpace(password[^1])))
            return "Password must satisfy regular expression pattern: ^\\S.*\\S$";
        int min = policy?.MinimumLength ?? 8;
        if (password.Length < min) return "Password not long enough";
        if ((policy?.RequireUppercase ?? true) && !password.Any(c => c is >= 'A' and <= 'Z')) return "Password must have uppercase characters";
        if ((policy?.RequireLowercase ?? true) && !password.Any(c => c is >= 'a' and <= 'z')) return "Password must have lowercase characters";
        if ((policy?.RequireNumbers ?? true) && !password.Any(c => c is >= '0' and <= '9')) return "Password must have numeric characters";
        if ((policy?.RequireSymbols ?? true) && !password.Any(c => Symbols.Contains(c, StringComparison.Ordinal))) return "Password must have symbol characters";
        return null;
    }

    /// <summary>A random password that satisfies <paramref name="policy"/> (for AdminCreateUser temporary passwords).</summary>
    public static string Generate(PasswordPolicyType? policy)
    {
        int length = Math.Max(12, policy?.MinimumLength ?? 8);
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "^$*.!@#%&";
        var chars = new List<char>
        {
            upper[System.Security.Cryptography.RandomNumberGenerator.GetInt32(upper.Length)],
            lower[System.Security.Cryptography.RandomNumberGenerator.GetInt32(lower.Length)],
            digits[System.Security.Cryptography.RandomNumberGenerator.GetInt32(digits.Length)],
            symbols[System.Security.Cryptography.RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        const string all = upper + lower + digits + symbols;
        while (chars.Count < length) chars.Add(all[System.Security.Cryptography.RandomNumberGenerator.GetInt32(all.Length)]);
        var array = chars.ToArray();
        System.Security.Cryptography.RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }
}
